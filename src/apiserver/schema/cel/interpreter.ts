/**
 * Tree-walking evaluation. Errors are thrown as CelEvalError; `&&`, `||` and the all/exists macros
 * absorb an error when the other side decides the result, as CEL's commutative logic requires.
 */

import type { Expr } from './ast.ts';
import { typeIdentifiers } from './checker.ts';
import { CelEvalError, noSuchOverload } from './errors.ts';
import { add, divide, isIn, lookupFunction, modulo, multiply, negate, subtract } from './functions.ts';
import {
  ArrayList,
  CelList,
  CelMap,
  CelOptional,
  CelTypeValue,
  CelUint,
  LiteralMap,
  celEquals,
  compareValues,
  typeName,
  type CelValue,
} from './values.ts';

export type Bindings = ReadonlyMap<string, CelValue>;

interface Scope {
  readonly name: string;
  readonly value: CelValue;
  readonly parent: Scope | undefined;
}

function lookup(scope: Scope | undefined, name: string): { value: CelValue } | undefined {
  for (let s = scope; s !== undefined; s = s.parent) if (s.name === name) return { value: s.value };
  return undefined;
}

function bool(value: CelValue): boolean {
  if (typeof value !== 'boolean') throw noSuchOverload();
  return value;
}

function selectField(operand: CelValue, field: string): CelValue {
  if (!(operand instanceof CelMap)) throw noSuchOverload();
  const value = operand.select(field);
  if (value === undefined) throw new CelEvalError(`no such key: ${field}`);
  return value;
}

function listIndex(list: CelList, index: CelValue): number {
  let i: bigint;
  if (typeof index === 'bigint') i = index;
  else if (index instanceof CelUint) i = index.value;
  else if (typeof index === 'number' && Number.isInteger(index)) i = BigInt(index);
  else throw new CelEvalError(`unsupported index type '${typeof index}' in list`);
  if (i < 0n || i >= BigInt(list.size))
    throw new CelEvalError(`index '${i}' out of range in list size '${list.size}'`);
  return Number(i);
}

function formatKey(key: CelValue): string {
  if (typeof key === 'string') return key;
  if (key instanceof CelUint) return key.value.toString();
  if (typeof key === 'bigint' || typeof key === 'number' || typeof key === 'boolean') return String(key);
  return typeName(key);
}

function indexValue(operand: CelValue, index: CelValue): CelValue | undefined {
  if (operand instanceof CelList) {
    const i = listIndex(operand, index);
    return operand.get(i);
  }
  if (operand instanceof CelMap) return operand.get(index);
  throw noSuchOverload();
}

/** NaN compares false with everything. */
function ordered(a: CelValue, b: CelValue, test: (comparison: number) => boolean): boolean {
  const comparison = compareValues(a, b);
  return comparison !== undefined && test(comparison);
}

function rangeItems(range: CelValue): CelValue[] {
  if (range instanceof CelList) return range.toArray();
  if (range instanceof CelMap) return range.keys();
  throw noSuchOverload();
}

export class Interpreter {
  constructor(private readonly bindings: Bindings) {}

  evaluate(expr: Expr): CelValue {
    return this.eval(expr, undefined);
  }

  private tryEval(expr: Expr, scope: Scope | undefined): CelValue | CelEvalError {
    try {
      return this.eval(expr, scope);
    } catch (error) {
      if (error instanceof CelEvalError) return error;
      throw error;
    }
  }

  private eval(expr: Expr, scope: Scope | undefined): CelValue {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'ident': {
        const local = lookup(scope, expr.name);
        if (local !== undefined) return local.value;
        const bound = this.bindings.get(expr.name);
        if (bound !== undefined) return bound;
        if (typeIdentifiers.has(expr.name)) return new CelTypeValue(expr.name);
        throw new CelEvalError(`no such attribute(s): ${expr.name}`);
      }
      case 'select': {
        const operand = this.eval(expr.operand, scope);
        if (!expr.optional) return selectField(operand, expr.field);
        const target =
          operand instanceof CelOptional ? (operand.present ? operand.value : undefined) : operand;
        if (target === undefined) return CelOptional.none;
        if (!(target instanceof CelMap)) throw noSuchOverload();
        const value = target.select(expr.field);
        return value === undefined ? CelOptional.none : CelOptional.of(value);
      }
      case 'has': {
        const operand = this.eval(expr.operand, scope);
        if (!(operand instanceof CelMap)) throw noSuchOverload();
        return operand.select(expr.field) !== undefined;
      }
      case 'index': {
        const operand = this.eval(expr.operand, scope);
        const index = this.eval(expr.index, scope);
        if (!expr.optional) {
          const value = indexValue(operand, index);
          if (value === undefined) throw new CelEvalError(`no such key: ${formatKey(index)}`);
          return value;
        }
        const target =
          operand instanceof CelOptional ? (operand.present ? operand.value : undefined) : operand;
        if (target === undefined) return CelOptional.none;
        if (target instanceof CelList) {
          const i = typeof index === 'bigint' ? index : undefined;
          if (i === undefined) throw noSuchOverload();
          return i >= 0n && i < BigInt(target.size)
            ? CelOptional.of(target.get(Number(i)))
            : CelOptional.none;
        }
        const value = indexValue(target, index);
        return value === undefined ? CelOptional.none : CelOptional.of(value);
      }
      case 'call': {
        const def = lookupFunction(expr.fn, expr.target !== undefined);
        if (def === undefined) throw new CelEvalError(`no such overload: ${expr.fn}`);
        const target = expr.target === undefined ? undefined : this.eval(expr.target, scope);
        const args = expr.args.map((a) => this.eval(a, scope));
        return def.impl(target, args);
      }
      case 'list': {
        const items: CelValue[] = [];
        for (const element of expr.elements) {
          const value = this.eval(element.value, scope);
          if (!element.optional) items.push(value);
          else if (!(value instanceof CelOptional)) throw noSuchOverload();
          else if (value.present) items.push(value.value);
        }
        return new ArrayList(items);
      }
      case 'map': {
        const entries: [CelValue, CelValue][] = [];
        for (const entry of expr.entries) {
          const key = this.eval(entry.key, scope);
          const value = this.eval(entry.value, scope);
          if (!entry.optional) entries.push([key, value]);
          else if (!(value instanceof CelOptional)) throw noSuchOverload();
          else if (value.present) entries.push([key, value.value]);
        }
        return new LiteralMap(entries);
      }
      case 'comprehension':
        return this.comprehension(expr, scope);
      case 'not':
        return !bool(this.eval(expr.operand, scope));
      case 'negate':
        return negate(this.eval(expr.operand, scope));
      case 'and':
      case 'or': {
        const decisive = expr.kind === 'or';
        const left = this.tryEval(expr.left, scope);
        if (left === decisive) return decisive;
        const right = this.tryEval(expr.right, scope);
        if (right === decisive) return decisive;
        if (left instanceof CelEvalError) throw left;
        if (right instanceof CelEvalError) throw right;
        if (typeof left !== 'boolean' || typeof right !== 'boolean') throw noSuchOverload();
        return !decisive;
      }
      case 'binary':
        return this.binary(expr, scope);
      case 'conditional': {
        const condition = bool(this.eval(expr.condition, scope));
        return this.eval(condition ? expr.then : expr.otherwise, scope);
      }
    }
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope | undefined): CelValue {
    const a = this.eval(expr.left, scope);
    const b = this.eval(expr.right, scope);
    switch (expr.op) {
      case '==':
        return celEquals(a, b);
      case '!=':
        return !celEquals(a, b);
      case '<':
        return ordered(a, b, (c) => c < 0);
      case '<=':
        return ordered(a, b, (c) => c <= 0);
      case '>':
        return ordered(a, b, (c) => c > 0);
      case '>=':
        return ordered(a, b, (c) => c >= 0);
      case 'in':
        return isIn(a, b);
      case '+':
        return add(a, b);
      case '-':
        return subtract(a, b);
      case '*':
        return multiply(a, b);
      case '/':
        return divide(a, b);
      case '%':
        return modulo(a, b);
    }
  }

  private comprehension(expr: Extract<Expr, { kind: 'comprehension' }>, scope: Scope | undefined): CelValue {
    const items = rangeItems(this.eval(expr.range, scope));
    const bind = (value: CelValue): Scope => ({ name: expr.iterVar, value, parent: scope });
    switch (expr.macro) {
      case 'all':
      case 'exists': {
        const decisive = expr.macro === 'exists';
        let firstError: CelEvalError | undefined;
        for (const item of items) {
          const result = expr.predicate === undefined ? true : this.tryEval(expr.predicate, bind(item));
          if (result instanceof CelEvalError) {
            firstError ??= result;
            continue;
          }
          if (typeof result !== 'boolean') {
            firstError ??= noSuchOverload();
            continue;
          }
          if (result === decisive) return decisive;
        }
        if (firstError !== undefined) throw firstError;
        return !decisive;
      }
      case 'exists_one': {
        let count = 0;
        for (const item of items) {
          if (expr.predicate !== undefined && bool(this.eval(expr.predicate, bind(item)))) count++;
        }
        return count === 1;
      }
      case 'filter':
        return new ArrayList(
          items.filter((item) => expr.predicate === undefined || bool(this.eval(expr.predicate, bind(item)))),
        );
      case 'map': {
        const out: CelValue[] = [];
        for (const item of items) {
          const scoped = bind(item);
          if (expr.predicate !== undefined && !bool(this.eval(expr.predicate, scoped))) continue;
          if (expr.transform !== undefined) out.push(this.eval(expr.transform, scoped));
        }
        return new ArrayList(out);
      }
    }
  }
}
