/** A small CEL implementation: compile (parse + check) once, evaluate many times. */

import { freeIdentifiers, type Expr } from './ast.ts';
import { checkExpression } from './checker.ts';
import { CelCompileError } from './errors.ts';
import { Interpreter, type Bindings } from './interpreter.ts';
import { parse } from './parser.ts';
import type { CelType } from './types.ts';
import type { CelValue } from './values.ts';

export interface CelProgram {
  readonly source: string;
  readonly ast: Expr;
  /** The statically known result type (dyn when it depends on runtime data). */
  readonly resultType: CelType;
  /** Variables the expression refers to. */
  readonly references: ReadonlySet<string>;
  /** Throws CelEvalError on a runtime error. */
  evaluate(bindings: Bindings): CelValue;
}

/** Parses and type-checks `source`; throws CelCompileError listing every problem found. */
export function compile(source: string, declarations: ReadonlyMap<string, CelType>): CelProgram {
  const ast = parse(source);
  const { type, issues } = checkExpression(ast, declarations);
  if (issues.length > 0) throw new CelCompileError(source, issues);
  return {
    source,
    ast,
    resultType: type,
    references: freeIdentifiers(ast),
    evaluate: (bindings) => new Interpreter(bindings).evaluate(ast),
  };
}

export { CelCompileError, CelEvalError, formatIssues } from './errors.ts';
export type { CelIssue } from './errors.ts';
export { formatType, schemaType, T } from './types.ts';
export type { CelType } from './types.ts';
export {
  ArrayList,
  CelDuration,
  CelList,
  CelMap,
  CelOptional,
  CelTimestamp,
  CelTypeValue,
  CelUint,
  JsonList,
  JsonMap,
  LiteralMap,
  celEquals,
  jsonToCel,
  typeName,
} from './values.ts';
export type { CelValue } from './values.ts';
export type { Bindings } from './interpreter.ts';
export { celToString } from './functions.ts';
