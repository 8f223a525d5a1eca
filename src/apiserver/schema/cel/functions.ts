/**
 * The functions Kubernetes' CEL environment offers that rules commonly use: the standard library,
 * and the strings, lists, regex, sets and optional extensions. Each has a static signature check
 * (for CRD creation) and an implementation.
 */

import { compileRe2, RegexSyntaxError } from '../regex.ts';
import { CelEvalError, noSuchOverload } from './errors.ts';
import {
  checkDurationRange,
  checkTimestampRange,
  formatDuration,
  formatTimestamp,
  NANOS,
  parseGoDuration,
  parseTimestamp,
  timeFields,
} from './time.ts';
import { formatType, isAssignable, T, type CelType } from './types.ts';
import {
  ArrayList,
  CelDuration,
  CelList,
  CelMap,
  CelOptional,
  CelTimestamp,
  CelTypeValue,
  CelUint,
  celEquals,
  checkInt,
  checkUint,
  compareValues,
  intRange,
  isZeroValue,
  typeName,
  type CelValue,
} from './values.ts';
import { formatGoFloat } from '../go-format.ts';

type Pred = (type: CelType) => boolean;
type ResultType = CelType | ((target: CelType | undefined, args: CelType[]) => CelType);

interface Overload {
  readonly target: Pred | undefined;
  readonly args: readonly Pred[];
  readonly result: ResultType;
}

export interface FunctionDef {
  readonly overloads: readonly Overload[];
  readonly impl: (target: CelValue | undefined, args: CelValue[]) => CelValue;
}

const is =
  (...kinds: CelType['kind'][]): Pred =>
  (t) =>
    t.kind === 'dyn' || kinds.includes(t.kind);
const any: Pred = () => true;
const listOf =
  (elem: Pred): Pred =>
  (t) =>
    t.kind === 'dyn' || (t.kind === 'list' && elem(t.elem));

function overload(target: Pred | undefined, args: Pred[], result: ResultType): Overload {
  return { target, args, result };
}

const elemOf = (t: CelType | undefined): CelType => (t?.kind === 'list' ? t.elem : T.dyn);

/** Resolves a call's result type, or undefined when no overload accepts the argument types. */
export function checkCall(
  def: FunctionDef,
  target: CelType | undefined,
  args: CelType[],
): CelType | undefined {
  const results: CelType[] = [];
  for (const o of def.overloads) {
    if ((o.target === undefined) !== (target === undefined)) continue;
    if (o.target !== undefined && target !== undefined && !o.target(target)) continue;
    if (o.args.length !== args.length) continue;
    if (!o.args.every((p, i) => p(args[i] ?? T.dyn))) continue;
    results.push(typeof o.result === 'function' ? o.result(target, args) : o.result);
  }
  const [first] = results;
  if (first === undefined) return undefined;
  return results.every((r) => formatType(r) === formatType(first)) ? first : T.dyn;
}

export function describeCall(target: CelType | undefined, args: CelType[]): string {
  const list = args.map(formatType).join(', ');
  return target === undefined ? `(${list})` : `${formatType(target)}.(${list})`;
}

// ---- runtime argument helpers ----

function str(value: CelValue | undefined): string {
  if (typeof value !== 'string') throw noSuchOverload();
  return value;
}

function int(value: CelValue | undefined): bigint {
  if (typeof value !== 'bigint') throw noSuchOverload();
  return value;
}

function list(value: CelValue | undefined): CelList {
  if (!(value instanceof CelList)) throw noSuchOverload();
  return value;
}

function codePoints(text: string): string[] {
  return [...text];
}

function regex(pattern: string): RegExp {
  try {
    return compileRe2(pattern);
  } catch (error) {
    if (error instanceof RegexSyntaxError) throw new CelEvalError(`error parsing regexp: ${error.message}`);
    throw error;
  }
}

function size(value: CelValue | undefined): bigint {
  if (typeof value === 'string') return BigInt(codePoints(value).length);
  if (value instanceof Uint8Array) return BigInt(value.length);
  if (value instanceof CelList || value instanceof CelMap) return BigInt(value.size);
  throw noSuchOverload();
}

function toInt(value: CelValue | undefined): bigint {
  if (typeof value === 'bigint') return value;
  if (value instanceof CelUint) return checkInt(value.value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= -(2 ** 63) - 1024 || value >= 2 ** 63)
      throw new CelEvalError('integer overflow');
    return checkInt(BigInt(Math.trunc(value)));
  }
  if (typeof value === 'string') {
    if (!/^[-+]?[0-9]+$/.test(value))
      throw new CelEvalError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    const n = BigInt(value);
    if (n < intRange.min || n > intRange.max)
      throw new CelEvalError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`);
    return n;
  }
  if (value instanceof CelTimestamp) {
    const seconds = value.nanos / NANOS.perSecond;
    return value.nanos < 0n && value.nanos % NANOS.perSecond !== 0n ? seconds - 1n : seconds;
  }
  throw noSuchOverload();
}

function toUint(value: CelValue | undefined): CelUint {
  if (value instanceof CelUint) return value;
  if (typeof value === 'bigint') return checkUint(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value >= 2 ** 64)
      throw new CelEvalError('unsigned integer overflow');
    return checkUint(BigInt(Math.trunc(value)));
  }
  if (typeof value === 'string') {
    if (!/^\+?[0-9]+$/.test(value))
      throw new CelEvalError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`);
    const n = BigInt(value);
    if (n > intRange.umax)
      throw new CelEvalError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range`);
    return new CelUint(n);
  }
  throw noSuchOverload();
}

function toDouble(value: CelValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof CelUint) return Number(value.value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN };
    const s = special[trimmed.toLowerCase()];
    if (s !== undefined && trimmed === value) return s;
    if (trimmed !== value || trimmed === '' || Number.isNaN(Number(value)) || /^[-+]?0[xob]/i.test(value))
      throw new CelEvalError(`strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
    return Number(value);
  }
  throw noSuchOverload();
}

export function celToString(value: CelValue | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof CelUint) return value.value.toString();
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(value);
    } catch {
      throw new CelEvalError('invalid UTF-8 in bytes, cannot convert to string');
    }
  }
  if (value instanceof CelTimestamp) return formatTimestamp(value.nanos);
  if (value instanceof CelDuration) return formatDuration(value.nanos);
  throw noSuchOverload();
}

function toBool(value: CelValue | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
    throw new CelEvalError(`type conversion error from 'string' to 'bool'`);
  }
  throw noSuchOverload();
}

function toDuration(value: CelValue | undefined): CelDuration {
  if (value instanceof CelDuration) return value;
  const text = str(value);
  const nanos = parseGoDuration(text);
  if (nanos === undefined) throw new CelEvalError(`time: invalid duration ${JSON.stringify(text)}`);
  return new CelDuration(checkDurationRange(nanos));
}

function toTimestamp(value: CelValue | undefined): CelTimestamp {
  if (value instanceof CelTimestamp) return value;
  if (typeof value === 'bigint') return new CelTimestamp(checkTimestampRange(value * NANOS.perSecond));
  const text = str(value);
  const nanos = parseTimestamp(text);
  if (nanos === undefined)
    throw new CelEvalError(
      `parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00": cannot parse`,
    );
  return new CelTimestamp(checkTimestampRange(nanos));
}

function celIndexOf(haystack: string, needle: string, from: bigint, last: boolean): bigint {
  const chars = codePoints(haystack);
  const sub = codePoints(needle);
  const start = Number(from);
  if (start < 0 || start > chars.length) throw new CelEvalError(`index out of range: ${start}`);
  const matchesAt = (i: number): boolean => sub.every((c, j) => chars[i + j] === c);
  if (last) {
    for (let i = Math.min(start, chars.length - sub.length); i >= 0; i--) if (matchesAt(i)) return BigInt(i);
    return -1n;
  }
  for (let i = start; i + sub.length <= chars.length; i++) if (matchesAt(i)) return BigInt(i);
  return -1n;
}

function timestampGetter(
  field: (f: ReturnType<typeof timeFields>) => number,
  durationNanos?: bigint,
): FunctionDef {
  const overloads = [overload(is('timestamp'), [], T.int), overload(is('timestamp'), [is('string')], T.int)];
  if (durationNanos !== undefined) overloads.push(overload(is('duration'), [], T.int));
  return {
    overloads,
    impl: (target, args) => {
      if (target instanceof CelDuration && durationNanos !== undefined && args.length === 0)
        return target.nanos / durationNanos;
      if (!(target instanceof CelTimestamp)) throw noSuchOverload();
      const zone = args.length > 0 ? str(args[0]) : 'UTC';
      return BigInt(field(timeFields(target.nanos, zone)));
    },
  };
}

function listAggregate(pick: (cmp: number) => boolean, name: string): FunctionDef {
  return {
    overloads: [
      overload(
        listOf(is('int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration')),
        [],
        (t) => elemOf(t),
      ),
    ],
    impl: (target) => {
      const items = list(target).toArray();
      const [first, ...rest] = items;
      if (first === undefined) throw new CelEvalError(`${name} called on empty list`);
      return rest.reduce<CelValue>((best, v) => (pick(compareValues(v, best) ?? 0) ? v : best), first);
    },
  };
}

const member: Record<string, FunctionDef> = {
  size: { overloads: [overload(is('string', 'bytes', 'list', 'map'), [], T.int)], impl: (t) => size(t) },
  contains: {
    overloads: [overload(is('string'), [is('string')], T.bool)],
    impl: (t, [s]) => str(t).includes(str(s)),
  },
  startsWith: {
    overloads: [overload(is('string'), [is('string')], T.bool)],
    impl: (t, [s]) => str(t).startsWith(str(s)),
  },
  endsWith: {
    overloads: [overload(is('string'), [is('string')], T.bool)],
    impl: (t, [s]) => str(t).endsWith(str(s)),
  },
  matches: {
    overloads: [overload(is('string'), [is('string')], T.bool)],
    impl: (t, [re]) => regex(str(re)).test(str(t)),
  },
  lowerAscii: {
    overloads: [overload(is('string'), [], T.string)],
    impl: (t) => str(t).replace(/[A-Z]/g, (c) => c.toLowerCase()),
  },
  upperAscii: {
    overloads: [overload(is('string'), [], T.string)],
    impl: (t) => str(t).replace(/[a-z]/g, (c) => c.toUpperCase()),
  },
  trim: {
    overloads: [overload(is('string'), [], T.string)],
    impl: (t) => str(t).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, ''),
  },
  charAt: {
    overloads: [overload(is('string'), [is('int')], T.string)],
    impl: (t, [i]) => {
      const chars = codePoints(str(t));
      const index = Number(int(i));
      if (index < 0 || index > chars.length) throw new CelEvalError(`index out of range: ${index}`);
      return chars[index] ?? '';
    },
  },
  indexOf: {
    overloads: [
      overload(is('string'), [is('string')], T.int),
      overload(is('string'), [is('string'), is('int')], T.int),
      overload(is('list'), [any], T.int),
    ],
    impl: (t, [s, from]) => {
      if (t instanceof CelList) {
        const items = t.toArray();
        return BigInt(items.findIndex((v) => celEquals(v, s ?? null)));
      }
      return celIndexOf(str(t), str(s), from === undefined ? 0n : int(from), false);
    },
  },
  lastIndexOf: {
    overloads: [
      overload(is('string'), [is('string')], T.int),
      overload(is('string'), [is('string'), is('int')], T.int),
      overload(is('list'), [any], T.int),
    ],
    impl: (t, [s, from]) => {
      if (t instanceof CelList) {
        const items = t.toArray();
        for (let i = items.length - 1; i >= 0; i--)
          if (celEquals(items[i] ?? null, s ?? null)) return BigInt(i);
        return -1n;
      }
      const text = str(t);
      return celIndexOf(text, str(s), from === undefined ? BigInt(codePoints(text).length) : int(from), true);
    },
  },
  replace: {
    overloads: [
      overload(is('string'), [is('string'), is('string')], T.string),
      overload(is('string'), [is('string'), is('string'), is('int')], T.string),
    ],
    impl: (t, [from, to, n]) => {
      const text = str(t);
      const limit = n === undefined ? -1n : int(n);
      if (limit < 0n) return text.split(str(from)).join(str(to));
      let out = text;
      let done = 0n;
      let index = 0;
      while (done < limit) {
        const at = out.indexOf(str(from), index);
        if (at < 0) break;
        out = out.slice(0, at) + str(to) + out.slice(at + str(from).length);
        index = at + str(to).length + (str(from) === '' ? 1 : 0);
        done++;
      }
      return out;
    },
  },
  split: {
    overloads: [
      overload(is('string'), [is('string')], T.list(T.string)),
      overload(is('string'), [is('string'), is('int')], T.list(T.string)),
    ],
    impl: (t, [sep, n]) => {
      const text = str(t);
      const separator = str(sep);
      const limit = n === undefined ? -1n : int(n);
      if (limit === 0n) return new ArrayList([]);
      const parts = separator === '' ? codePoints(text) : text.split(separator);
      if (limit > 0n && parts.length > limit) {
        const head = parts.slice(0, Number(limit) - 1);
        head.push(parts.slice(Number(limit) - 1).join(separator));
        return new ArrayList(head);
      }
      return new ArrayList(parts);
    },
  },
  substring: {
    overloads: [
      overload(is('string'), [is('int')], T.string),
      overload(is('string'), [is('int'), is('int')], T.string),
    ],
    impl: (t, [start, end]) => {
      const chars = codePoints(str(t));
      const s = Number(int(start));
      const e = end === undefined ? chars.length : Number(int(end));
      if (s < 0 || s > chars.length) throw new CelEvalError(`index out of range: ${s}`);
      if (e < 0 || e > chars.length) throw new CelEvalError(`index out of range: ${e}`);
      if (s > e) throw new CelEvalError(`invalid substring range. start: ${s}, end: ${e}`);
      return chars.slice(s, e).join('');
    },
  },
  join: {
    overloads: [
      overload(listOf(is('string')), [], T.string),
      overload(listOf(is('string')), [is('string')], T.string),
    ],
    impl: (t, [sep]) =>
      list(t)
        .toArray()
        .map((v) => str(v))
        .join(sep === undefined ? '' : str(sep)),
  },
  reverse: {
    overloads: [overload(is('string'), [], T.string), overload(is('list'), [], (t) => t ?? T.dyn)],
    impl: (t) =>
      t instanceof CelList ? new ArrayList(t.toArray().reverse()) : codePoints(str(t)).reverse().join(''),
  },
  find: {
    overloads: [overload(is('string'), [is('string')], T.string)],
    impl: (t, [re]) => regex(str(re)).exec(str(t))?.[0] ?? '',
  },
  findAll: {
    overloads: [
      overload(is('string'), [is('string')], T.list(T.string)),
      overload(is('string'), [is('string'), is('int')], T.list(T.string)),
    ],
    impl: (t, [re, n]) => {
      const base = regex(str(re));
      const global = new RegExp(base.source, base.flags.includes('g') ? base.flags : `${base.flags}g`);
      const limit = n === undefined ? -1 : Number(int(n));
      const found: string[] = [];
      for (const m of str(t).matchAll(global)) {
        if (limit >= 0 && found.length >= limit) break;
        found.push(m[0]);
      }
      return new ArrayList(found);
    },
  },
  isSorted: {
    overloads: [
      overload(
        listOf(is('int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration')),
        [],
        T.bool,
      ),
    ],
    impl: (t) => {
      const items = list(t).toArray();
      for (let i = 1; i < items.length; i++) {
        if ((compareValues(items[i - 1] ?? null, items[i] ?? null) ?? 0) > 0) return false;
      }
      return true;
    },
  },
  sum: {
    overloads: [overload(listOf(is('int', 'uint', 'double', 'duration')), [], (t) => elemOf(t))],
    impl: (t) => {
      const items = list(t).toArray();
      if (items.length === 0) return 0n;
      return items.slice(1).reduce<CelValue>((acc, v) => add(acc, v), items[0] ?? 0n);
    },
  },
  min: listAggregate((cmp) => cmp < 0, 'min'),
  max: listAggregate((cmp) => cmp > 0, 'max'),
  slice: {
    overloads: [overload(is('list'), [is('int'), is('int')], (t) => t ?? T.dyn)],
    impl: (t, [start, end]) => {
      const items = list(t).toArray();
      const s = Number(int(start));
      const e = Number(int(end));
      if (s < 0 || e < 0 || s > e || e > items.length)
        throw new CelEvalError(`cannot slice(${s}, ${e}), invalid range for list of size ${items.length}`);
      return new ArrayList(items.slice(s, e));
    },
  },
  hasValue: {
    overloads: [overload(is('optional'), [], T.bool)],
    impl: (t) => {
      if (!(t instanceof CelOptional)) throw noSuchOverload();
      return t.present;
    },
  },
  value: {
    overloads: [overload(is('optional'), [], (t) => (t?.kind === 'optional' ? t.inner : T.dyn))],
    impl: (t) => {
      if (!(t instanceof CelOptional)) throw noSuchOverload();
      return t.value;
    },
  },
  orValue: {
    overloads: [overload(is('optional'), [any], (t) => (t?.kind === 'optional' ? t.inner : T.dyn))],
    impl: (t, [fallback]) => {
      if (!(t instanceof CelOptional)) throw noSuchOverload();
      return t.present ? t.value : (fallback ?? null);
    },
  },
  or: {
    overloads: [overload(is('optional'), [is('optional')], (t) => t ?? T.dyn)],
    impl: (t, [other]) => {
      if (!(t instanceof CelOptional) || !(other instanceof CelOptional)) throw noSuchOverload();
      return t.present ? t : other;
    },
  },
  getFullYear: timestampGetter((f) => f.year),
  getMonth: timestampGetter((f) => f.month),
  getDate: timestampGetter((f) => f.day),
  getDayOfMonth: timestampGetter((f) => f.day - 1),
  getDayOfWeek: timestampGetter((f) => f.weekday),
  getDayOfYear: timestampGetter((f) => f.dayOfYear),
  getHours: timestampGetter((f) => f.hour, 3600n * NANOS.perSecond),
  getMinutes: timestampGetter((f) => f.minute, 60n * NANOS.perSecond),
  getSeconds: timestampGetter((f) => f.second, NANOS.perSecond),
  getMilliseconds: timestampGetter((f) => f.millisecond, NANOS.perMs),
};

function setOp(check: (a: CelValue[], b: CelValue[]) => boolean): FunctionDef {
  return {
    overloads: [overload(undefined, [is('list'), is('list')], T.bool)],
    impl: (_t, [a, b]) => check(list(a).toArray(), list(b).toArray()),
  };
}

const contains = (items: CelValue[], v: CelValue): boolean => items.some((x) => celEquals(x, v));

const global: Record<string, FunctionDef> = {
  size: {
    overloads: [overload(undefined, [is('string', 'bytes', 'list', 'map')], T.int)],
    impl: (_t, [v]) => size(v),
  },
  matches: {
    overloads: [overload(undefined, [is('string'), is('string')], T.bool)],
    impl: (_t, [s, re]) => regex(str(re)).test(str(s)),
  },
  int: {
    overloads: [overload(undefined, [is('int', 'uint', 'double', 'string', 'timestamp')], T.int)],
    impl: (_t, [v]) => toInt(v),
  },
  uint: {
    overloads: [overload(undefined, [is('int', 'uint', 'double', 'string')], T.uint)],
    impl: (_t, [v]) => toUint(v),
  },
  double: {
    overloads: [overload(undefined, [is('int', 'uint', 'double', 'string')], T.double)],
    impl: (_t, [v]) => toDouble(v),
  },
  string: {
    overloads: [
      overload(
        undefined,
        [is('int', 'uint', 'double', 'bool', 'bytes', 'string', 'timestamp', 'duration')],
        T.string,
      ),
    ],
    impl: (_t, [v]) => celToString(v),
  },
  bool: { overloads: [overload(undefined, [is('bool', 'string')], T.bool)], impl: (_t, [v]) => toBool(v) },
  bytes: {
    overloads: [overload(undefined, [is('bytes', 'string')], T.bytes)],
    impl: (_t, [v]) => (v instanceof Uint8Array ? v : new TextEncoder().encode(str(v))),
  },
  dyn: { overloads: [overload(undefined, [any], T.dyn)], impl: (_t, [v]) => v ?? null },
  type: {
    overloads: [overload(undefined, [any], T.type)],
    impl: (_t, [v]) => new CelTypeValue(typeName(v ?? null)),
  },
  duration: {
    overloads: [overload(undefined, [is('string', 'duration')], T.duration)],
    impl: (_t, [v]) => toDuration(v),
  },
  timestamp: {
    overloads: [overload(undefined, [is('string', 'int', 'timestamp')], T.timestamp)],
    impl: (_t, [v]) => toTimestamp(v),
  },
  'optional.of': {
    overloads: [overload(undefined, [any], (_t, [a]) => T.optional(a ?? T.dyn))],
    impl: (_t, [v]) => CelOptional.of(v ?? null),
  },
  'optional.ofNonZeroValue': {
    overloads: [overload(undefined, [any], (_t, [a]) => T.optional(a ?? T.dyn))],
    impl: (_t, [v]) => (isZeroValue(v ?? null) ? CelOptional.none : CelOptional.of(v ?? null)),
  },
  'optional.none': { overloads: [overload(undefined, [], T.optional(T.dyn))], impl: () => CelOptional.none },
  'sets.contains': setOp((a, b) => b.every((v) => contains(a, v))),
  'sets.equivalent': setOp((a, b) => b.every((v) => contains(a, v)) && a.every((v) => contains(b, v))),
  'sets.intersects': setOp((a, b) => a.some((v) => contains(b, v))),
  'strings.quote': {
    overloads: [overload(undefined, [is('string')], T.string)],
    impl: (_t, [v]) => JSON.stringify(str(v)),
  },
};

export function lookupFunction(name: string, isMember: boolean): FunctionDef | undefined {
  const table = isMember ? member : global;
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

// ---- operators ----

export function add(a: CelValue, b: CelValue): CelValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(a + b);
  if (a instanceof CelUint && b instanceof CelUint) return checkUint(a.value + b.value);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  }
  if (a instanceof CelList && b instanceof CelList) return new ArrayList([...a.toArray(), ...b.toArray()]);
  if (a instanceof CelTimestamp && b instanceof CelDuration)
    return new CelTimestamp(checkTimestampRange(a.nanos + b.nanos));
  if (a instanceof CelDuration && b instanceof CelTimestamp)
    return new CelTimestamp(checkTimestampRange(a.nanos + b.nanos));
  if (a instanceof CelDuration && b instanceof CelDuration)
    return new CelDuration(checkDurationRange(a.nanos + b.nanos));
  throw noSuchOverload();
}

export function subtract(a: CelValue, b: CelValue): CelValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(a - b);
  if (a instanceof CelUint && b instanceof CelUint) return checkUint(a.value - b.value);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof CelTimestamp && b instanceof CelTimestamp)
    return new CelDuration(checkDurationRange(a.nanos - b.nanos));
  if (a instanceof CelTimestamp && b instanceof CelDuration)
    return new CelTimestamp(checkTimestampRange(a.nanos - b.nanos));
  if (a instanceof CelDuration && b instanceof CelDuration)
    return new CelDuration(checkDurationRange(a.nanos - b.nanos));
  throw noSuchOverload();
}

export function multiply(a: CelValue, b: CelValue): CelValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') return checkInt(a * b);
  if (a instanceof CelUint && b instanceof CelUint) return checkUint(a.value * b.value);
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  throw noSuchOverload();
}

export function divide(a: CelValue, b: CelValue): CelValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) throw new CelEvalError('division by zero');
    return checkInt(a / b);
  }
  if (a instanceof CelUint && b instanceof CelUint) {
    if (b.value === 0n) throw new CelEvalError('division by zero');
    return new CelUint(a.value / b.value);
  }
  if (typeof a === 'number' && typeof b === 'number') return a / b;
  throw noSuchOverload();
}

export function modulo(a: CelValue, b: CelValue): CelValue {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) throw new CelEvalError('modulus by zero');
    if (a === intRange.min && b === -1n) throw new CelEvalError('integer overflow');
    return a % b;
  }
  if (a instanceof CelUint && b instanceof CelUint) {
    if (b.value === 0n) throw new CelEvalError('modulus by zero');
    return new CelUint(a.value % b.value);
  }
  throw noSuchOverload();
}

export function negate(a: CelValue): CelValue {
  if (typeof a === 'bigint') return checkInt(-a);
  if (typeof a === 'number') return -a;
  if (a instanceof CelDuration) return new CelDuration(-a.nanos);
  throw noSuchOverload();
}

export function isIn(needle: CelValue, haystack: CelValue): boolean {
  if (haystack instanceof CelList) return haystack.toArray().some((v) => celEquals(v, needle));
  if (haystack instanceof CelMap) return haystack.get(needle) !== undefined;
  throw noSuchOverload();
}

/** Static signature checks for the operators, named as cel-go names them in messages. */
export const operatorNames: Record<string, string> = {
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  '==': '_==_',
  '!=': '_!=_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  in: '@in',
};

const numericKinds = new Set(['int', 'uint', 'double']);
const orderedKinds = new Set(['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration']);

/** The result type of a binary operator, or undefined when no overload accepts the operands. */
export function checkBinary(op: string, a: CelType, b: CelType): CelType | undefined {
  const dyn = a.kind === 'dyn' || b.kind === 'dyn';
  switch (op) {
    case '==':
    case '!=': {
      if (dyn || a.kind === 'null' || b.kind === 'null') return T.bool;
      if (numericKinds.has(a.kind) && numericKinds.has(b.kind)) return T.bool;
      return isAssignable(a, b) || isAssignable(b, a) ? T.bool : undefined;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (dyn)
        return orderedKinds.has(a.kind) || orderedKinds.has(b.kind) || (a.kind === 'dyn' && b.kind === 'dyn')
          ? T.bool
          : undefined;
      if (numericKinds.has(a.kind) && numericKinds.has(b.kind)) return T.bool;
      return a.kind === b.kind && orderedKinds.has(a.kind) ? T.bool : undefined;
    }
    case 'in':
      if (b.kind === 'dyn') return T.bool;
      if (b.kind === 'list')
        return isAssignable(b.elem, a) || (numericKinds.has(a.kind) && numericKinds.has(b.elem.kind))
          ? T.bool
          : undefined;
      if (b.kind === 'map') return isAssignable(b.key, a) ? T.bool : undefined;
      return undefined;
    default:
      return checkArithmetic(op, a, b);
  }
}

function checkArithmetic(op: string, a: CelType, b: CelType): CelType | undefined {
  const pairs: [string, string, CelType | 'same'][] = [];
  const numeric: [string, string, CelType | 'same'][] = [
    ['int', 'int', T.int],
    ['uint', 'uint', T.uint],
    ['double', 'double', T.double],
  ];
  switch (op) {
    case '+':
      pairs.push(
        ...numeric,
        ['string', 'string', T.string],
        ['bytes', 'bytes', T.bytes],
        ['list', 'list', 'same'],
        ['timestamp', 'duration', T.timestamp],
        ['duration', 'timestamp', T.timestamp],
        ['duration', 'duration', T.duration],
      );
      break;
    case '-':
      pairs.push(
        ...numeric,
        ['timestamp', 'timestamp', T.duration],
        ['timestamp', 'duration', T.timestamp],
        ['duration', 'duration', T.duration],
      );
      break;
    case '*':
    case '/':
      pairs.push(...numeric);
      break;
    case '%':
      pairs.push(['int', 'int', T.int], ['uint', 'uint', T.uint]);
      break;
    default:
      return undefined;
  }
  const matches = pairs.filter(
    ([x, y]) => (a.kind === 'dyn' || a.kind === x) && (b.kind === 'dyn' || b.kind === y),
  );
  if (matches.length === 0) return undefined;
  if (matches.length > 1) return T.dyn;
  const [, , result] = matches[0] ?? [];
  if (result === 'same') {
    if (a.kind === 'list' && b.kind === 'list') return T.list(a.elem.kind === 'dyn' ? b.elem : a.elem);
    return a.kind === 'dyn' ? b : a;
  }
  return result;
}
