/** The parsed form of a CEL expression. `pos` is the character offset used in error messages. */

import type { CelValue } from './values.ts';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

export type MacroName = 'all' | 'exists' | 'exists_one' | 'map' | 'filter';

export type Expr =
  | { kind: 'literal'; pos: number; value: CelValue }
  | { kind: 'ident'; pos: number; name: string }
  | { kind: 'select'; pos: number; operand: Expr; field: string; optional: boolean }
  | { kind: 'has'; pos: number; operand: Expr; field: string }
  | { kind: 'index'; pos: number; operand: Expr; index: Expr; optional: boolean }
  | { kind: 'call'; pos: number; fn: string; target: Expr | undefined; args: Expr[] }
  | { kind: 'list'; pos: number; elements: { value: Expr; optional: boolean }[] }
  | { kind: 'map'; pos: number; entries: { key: Expr; value: Expr; optional: boolean }[] }
  | {
      kind: 'comprehension';
      pos: number;
      macro: MacroName;
      range: Expr;
      iterVar: string;
      /** The predicate of all/exists/exists_one/filter, or map's optional filter. */
      predicate: Expr | undefined;
      /** map's transform. */
      transform: Expr | undefined;
    }
  | { kind: 'not'; pos: number; operand: Expr }
  | { kind: 'negate'; pos: number; operand: Expr }
  | { kind: 'and' | 'or'; pos: number; left: Expr; right: Expr }
  | { kind: 'binary'; pos: number; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'conditional'; pos: number; condition: Expr; then: Expr; otherwise: Expr };

/** Every identifier the expression references outside comprehension scopes. */
export function freeIdentifiers(expr: Expr, bound: ReadonlySet<string> = new Set()): Set<string> {
  const out = new Set<string>();
  const walk = (e: Expr, scope: ReadonlySet<string>): void => {
    switch (e.kind) {
      case 'literal':
        return;
      case 'ident':
        if (!scope.has(e.name)) out.add(e.name);
        return;
      case 'select':
      case 'has':
      case 'not':
      case 'negate':
        walk(e.operand, scope);
        return;
      case 'index':
        walk(e.operand, scope);
        walk(e.index, scope);
        return;
      case 'call':
        if (e.target !== undefined) walk(e.target, scope);
        e.args.forEach((a) => walk(a, scope));
        return;
      case 'list':
        e.elements.forEach((el) => walk(el.value, scope));
        return;
      case 'map':
        e.entries.forEach((en) => {
          walk(en.key, scope);
          walk(en.value, scope);
        });
        return;
      case 'comprehension': {
        walk(e.range, scope);
        const inner = new Set(scope).add(e.iterVar);
        if (e.predicate !== undefined) walk(e.predicate, inner);
        if (e.transform !== undefined) walk(e.transform, inner);
        return;
      }
      case 'and':
      case 'or':
      case 'binary':
        walk(e.left, scope);
        walk(e.right, scope);
        return;
      case 'conditional':
        walk(e.condition, scope);
        walk(e.then, scope);
        walk(e.otherwise, scope);
        return;
    }
  };
  walk(expr, bound);
  return out;
}
