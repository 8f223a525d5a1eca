/**
 * Static checking of a parsed expression against declared variable types, reporting what cel-go
 * reports at CRD creation: undeclared references, undefined fields of schema objects, and calls
 * or operators with no matching overload. Where a type is not known statically (dyn) the check is
 * deferred to runtime, as cel-go does.
 */

import type { Expr } from './ast.ts';
import type { CelIssue } from './errors.ts';
import { checkBinary, checkCall, describeCall, lookupFunction, operatorNames } from './functions.ts';
import { formatType, isAssignable, joinTypes, objectFieldType, T, type CelType } from './types.ts';
import { CelUint, type CelValue } from './values.ts';

/** Identifiers that denote types (`type(x) == string`). */
export const typeIdentifiers = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
]);

function literalType(value: CelValue): CelType {
  if (value === null) return T.null;
  switch (typeof value) {
    case 'boolean':
      return T.bool;
    case 'bigint':
      return T.int;
    case 'number':
      return T.double;
    case 'string':
      return T.string;
    default:
  }
  if (value instanceof Uint8Array) return T.bytes;
  if (value instanceof CelUint) return T.uint;
  return T.dyn;
}

class Checker {
  readonly issues: CelIssue[] = [];
  constructor(private readonly variables: ReadonlyMap<string, CelType>) {}

  private issue(pos: number, message: string): CelType {
    this.issues.push({ offset: pos, message });
    return T.dyn;
  }

  private noOverload(pos: number, name: string, signature: string): CelType {
    return this.issue(pos, `found no matching overload for '${name}' applied to '${signature}'`);
  }

  check(expr: Expr, scope: ReadonlyMap<string, CelType>): CelType {
    switch (expr.kind) {
      case 'literal':
        return literalType(expr.value);
      case 'ident': {
        const local = scope.get(expr.name) ?? this.variables.get(expr.name);
        if (local !== undefined) return local;
        if (typeIdentifiers.has(expr.name)) return T.type;
        return this.issue(expr.pos, `undeclared reference to '${expr.name}' (in container '')`);
      }
      case 'select':
        return this.select(expr.pos, this.check(expr.operand, scope), expr.field, expr.optional);
      case 'has': {
        this.select(expr.pos, this.check(expr.operand, scope), expr.field, false);
        return T.bool;
      }
      case 'index':
        return this.index(expr.pos, this.check(expr.operand, scope), expr.index, scope, expr.optional);
      case 'call':
        return this.call(expr, scope);
      case 'list': {
        let elem: CelType | undefined;
        for (const element of expr.elements) {
          let t = this.check(element.value, scope);
          if (element.optional) t = t.kind === 'optional' ? t.inner : T.dyn;
          elem = elem === undefined ? t : joinTypes(elem, t);
        }
        return T.list(elem ?? T.dyn);
      }
      case 'map': {
        let key: CelType | undefined;
        let value: CelType | undefined;
        for (const entry of expr.entries) {
          const k = this.check(entry.key, scope);
          if (!['string', 'int', 'uint', 'bool', 'dyn'].includes(k.kind))
            this.issue(entry.key.pos, `unsupported map key type: ${formatType(k)}`);
          let v = this.check(entry.value, scope);
          if (entry.optional) v = v.kind === 'optional' ? v.inner : T.dyn;
          key = key === undefined ? k : joinTypes(key, k);
          value = value === undefined ? v : joinTypes(value, v);
        }
        return T.map(key ?? T.dyn, value ?? T.dyn);
      }
      case 'comprehension':
        return this.comprehension(expr, scope);
      case 'not': {
        const t = this.check(expr.operand, scope);
        return isAssignable(T.bool, t) ? T.bool : this.noOverload(expr.pos, '!_', `(${formatType(t)})`);
      }
      case 'negate': {
        const t = this.check(expr.operand, scope);
        return ['int', 'double', 'duration', 'dyn'].includes(t.kind)
          ? t
          : this.noOverload(expr.pos, '-_', `(${formatType(t)})`);
      }
      case 'and':
      case 'or': {
        const l = this.check(expr.left, scope);
        const r = this.check(expr.right, scope);
        if (isAssignable(T.bool, l) && isAssignable(T.bool, r)) return T.bool;
        const name = expr.kind === 'and' ? '_&&_' : '_||_';
        return this.noOverload(expr.pos, name, `(${formatType(l)}, ${formatType(r)})`);
      }
      case 'binary': {
        const l = this.check(expr.left, scope);
        const r = this.check(expr.right, scope);
        const result = checkBinary(expr.op, l, r);
        return (
          result ??
          this.noOverload(expr.pos, operatorNames[expr.op] ?? expr.op, `(${formatType(l)}, ${formatType(r)})`)
        );
      }
      case 'conditional': {
        const c = this.check(expr.condition, scope);
        const a = this.check(expr.then, scope);
        const b = this.check(expr.otherwise, scope);
        if (!isAssignable(T.bool, c))
          return this.noOverload(expr.pos, '_?_:_', `(${formatType(c)}, ${formatType(a)}, ${formatType(b)})`);
        return joinTypes(a, b);
      }
    }
  }

  private select(pos: number, operand: CelType, field: string, optional: boolean): CelType {
    let target = operand;
    if (optional && target.kind === 'optional') target = target.inner;
    let result: CelType;
    switch (target.kind) {
      case 'dyn':
        result = T.dyn;
        break;
      case 'object': {
        const fieldType = objectFieldType(target.schema, field);
        result = fieldType ?? this.issue(pos, `undefined field '${field}'`);
        break;
      }
      case 'map':
        result = isAssignable(target.key, T.string)
          ? target.value
          : this.issue(pos, `type '${formatType(target)}' does not support field selection`);
        break;
      default:
        result = this.issue(pos, `type '${formatType(target)}' does not support field selection`);
    }
    return optional ? T.optional(result) : result;
  }

  private index(
    pos: number,
    operand: CelType,
    indexExpr: Expr,
    scope: ReadonlyMap<string, CelType>,
    optional: boolean,
  ): CelType {
    const index = this.check(indexExpr, scope);
    let target = operand;
    if (optional && target.kind === 'optional') target = target.inner;
    let result: CelType | undefined;
    switch (target.kind) {
      case 'dyn':
        result = T.dyn;
        break;
      case 'list':
        result = ['int', 'uint', 'dyn'].includes(index.kind) ? target.elem : undefined;
        break;
      case 'map':
        result = isAssignable(target.key, index) ? target.value : undefined;
        break;
      case 'object':
        // Kubernetes objects are not maps; `self['name']` on one is tolerated for a known property.
        if (indexExpr.kind === 'literal' && typeof indexExpr.value === 'string') {
          const property = target.schema.properties?.[indexExpr.value];
          result = property === undefined ? undefined : T.dyn;
        } else {
          result = index.kind === 'string' || index.kind === 'dyn' ? T.dyn : undefined;
        }
        break;
      default:
        result = undefined;
    }
    if (result === undefined)
      result = this.noOverload(pos, '_[_]', `(${formatType(operand)}, ${formatType(index)})`);
    return optional ? T.optional(result) : result;
  }

  private call(expr: Extract<Expr, { kind: 'call' }>, scope: ReadonlyMap<string, CelType>): CelType {
    const target = expr.target === undefined ? undefined : this.check(expr.target, scope);
    const args = expr.args.map((a) => this.check(a, scope));
    const def = lookupFunction(expr.fn, target !== undefined);
    if (def === undefined)
      return this.issue(expr.pos, `undeclared reference to '${expr.fn}' (in container '')`);
    return checkCall(def, target, args) ?? this.noOverload(expr.pos, expr.fn, describeCall(target, args));
  }

  private comprehension(
    expr: Extract<Expr, { kind: 'comprehension' }>,
    scope: ReadonlyMap<string, CelType>,
  ): CelType {
    const range = this.check(expr.range, scope);
    let iterType: CelType;
    switch (range.kind) {
      case 'list':
        iterType = range.elem;
        break;
      case 'map':
        iterType = range.key;
        break;
      case 'dyn':
        iterType = T.dyn;
        break;
      default:
        iterType = this.issue(
          expr.range.pos,
          `expression of type '${formatType(range)}' cannot be range of a comprehension (must be list, map, or dynamic)`,
        );
    }
    const inner = new Map(scope).set(expr.iterVar, iterType);
    if (expr.predicate !== undefined) {
      const p = this.check(expr.predicate, inner);
      if (!isAssignable(T.bool, p))
        this.noOverload(
          expr.predicate.pos,
          expr.macro === 'exists_one' ? '_==_' : '_&&_',
          `(bool, ${formatType(p)})`,
        );
    }
    switch (expr.macro) {
      case 'map': {
        const t = expr.transform === undefined ? T.dyn : this.check(expr.transform, inner);
        return T.list(t);
      }
      case 'filter':
        return T.list(iterType);
      default:
        return T.bool;
    }
  }
}

/** Returns the expression's type and any issues found. */
export function checkExpression(
  expr: Expr,
  variables: ReadonlyMap<string, CelType>,
): { type: CelType; issues: CelIssue[] } {
  const checker = new Checker(variables);
  const type = checker.check(expr, new Map());
  return { type, issues: checker.issues };
}
