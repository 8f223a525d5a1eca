/**
 * x-kubernetes-validations: compiling each node's CEL rules against the types its schema declares,
 * and evaluating them over a CR the way apiextensions' cel.Validator does — rules run where the
 * value is present and not null, transition rules (those using oldSelf) only where the old object
 * has a correlated value, and failures of unchanged values ratchet on update.
 */

import { childPath, fieldError, indexPath, type FieldError } from '../field-errors.ts';
import {
  CelCompileError,
  CelEvalError,
  CelOptional,
  compile,
  jsonToCel,
  schemaType,
  T,
  type CelProgram,
  type CelType,
  type CelValue,
} from './cel/index.ts';
import { celViewOf } from './cel/schema-view.ts';
import { deepEqual, isJsonObject } from './json.ts';
import type { JSONSchemaProps, ValidationRule } from './types.ts';

export interface CompiledRule {
  readonly rule: ValidationRule;
  readonly program?: CelProgram;
  /** Why the rule did not compile (`compilation failed: ERROR: <input>:1:5: …`). */
  readonly error?: string;
  readonly messageProgram?: CelProgram;
  readonly messageError?: string;
  readonly usesOldSelf: boolean;
  /** The rule's fieldPath resolved against the schema (`spec.foo`, `labels[key]`), if valid. */
  readonly fieldPath?: string;
}

const cache = new WeakMap<JSONSchemaProps, { root?: CompiledRule[]; nested?: CompiledRule[] }>();

function compileOne(
  source: string,
  declarations: ReadonlyMap<string, CelType>,
): { program?: CelProgram; error?: string } {
  try {
    return { program: compile(source, declarations) };
  } catch (error) {
    if (error instanceof CelCompileError) return { error: error.message };
    throw error;
  }
}

/** Resolves a rule's fieldPath (`.foo.bar`, `['x-y']`) to a field path, or undefined if invalid. */
export function resolveRuleFieldPath(path: string, schema: JSONSchemaProps): string | undefined {
  const tokens = path.match(/'(?:[^'\\]|\\.)*'|[.[\]]|[^.[\]']+/g) ?? [];
  let result = '';
  let current: JSONSchemaProps | undefined = schema;
  const step = (name: string): boolean => {
    if (current === undefined) return false;
    if (current.properties !== undefined) {
      const next: JSONSchemaProps | undefined = current.properties[name];
      if (next === undefined) return false;
      result = childPath(result, name);
      current = next;
      return true;
    }
    if (typeof current.additionalProperties === 'object') {
      result = indexPath(result, name);
      current = current.additionalProperties;
      return true;
    }
    return false;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '.') {
      const name = tokens[++i];
      if (name === undefined || !step(name)) return undefined;
    } else if (token === '[') {
      const quoted = tokens[++i];
      if (quoted === undefined || !/^'.*'$/.test(quoted) || tokens[++i] !== ']') return undefined;
      const name = quoted.slice(1, -1).replace(/\\(.)/g, '$1');
      if (!step(name)) return undefined;
    } else {
      return undefined;
    }
  }
  return result === '' ? undefined : result;
}

/** The CEL rules of one schema node, compiled (cached per schema object). */
export function compileRules(schema: JSONSchemaProps, isResourceRoot: boolean): CompiledRule[] {
  const rules = schema['x-kubernetes-validations'] ?? [];
  if (rules.length === 0) return [];
  let entry = cache.get(schema);
  if (entry === undefined) {
    entry = {};
    cache.set(schema, entry);
  }
  const cached = isResourceRoot ? entry.root : entry.nested;
  if (cached !== undefined) return cached;

  const selfType = schemaType(schema, isResourceRoot) ?? T.dyn;
  const compiled = rules.map((rule): CompiledRule => {
    const declarations = new Map<string, CelType>([
      ['self', selfType],
      ['oldSelf', rule.optionalOldSelf === true ? T.optional(selfType) : selfType],
    ]);
    const trimmed = rule.rule.trim();
    const fieldPath =
      rule.fieldPath !== undefined && rule.fieldPath !== ''
        ? resolveRuleFieldPath(rule.fieldPath, schema)
        : undefined;
    if (trimmed === '') return { rule, usesOldSelf: false, fieldPath };
    const { program, error } = compileOne(rule.rule, declarations);
    if (program === undefined)
      return { rule, usesOldSelf: false, error: `compilation failed: ${error ?? ''}`, fieldPath };
    const usesOldSelf = program.references.has('oldSelf');
    const resultKind = program.resultType.kind;
    if (resultKind !== 'bool' && resultKind !== 'dyn')
      return { rule, usesOldSelf, error: 'cel expression must evaluate to a bool', fieldPath };
    let messageProgram: CelProgram | undefined;
    let messageError: string | undefined;
    if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
      const message = compileOne(rule.messageExpression, declarations);
      if (message.program === undefined)
        messageError = `messageExpression compilation failed: ${message.error ?? ''}`;
      else if (message.program.resultType.kind !== 'string' && message.program.resultType.kind !== 'dyn')
        messageError = 'messageExpression must evaluate to a string';
      else messageProgram = message.program;
    }
    return { rule, program, usesOldSelf, fieldPath, messageProgram, messageError };
  });
  if (isResourceRoot) entry.root = compiled;
  else entry.nested = compiled;
  return compiled;
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message !== undefined && rule.message !== '' ? rule.message.trim() : rule.rule.trim();
}

function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message === undefined || rule.message === ''
    ? `failed rule: ${ruleErrorString(rule)}`
    : rule.message.trim();
}

function errorForReason(path: string, type: string, detail: string, rule: ValidationRule): FieldError {
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return fieldError.forbidden(path, detail);
    case 'FieldValueRequired':
      return fieldError.required(path, detail);
    case 'FieldValueDuplicate':
      return fieldError.duplicate(path, type);
    default:
      return fieldError.invalid(path, type, detail);
  }
}

/** Go prints a nil *field.Path as "<nil>": that is where root-level rule errors land. */
function fieldOrNil(path: string): string {
  return path === '' ? '<nil>' : path;
}

const subtreeCache = new WeakMap<JSONSchemaProps, boolean>();

function hasRules(schema: JSONSchemaProps | undefined): boolean {
  if (schema === undefined) return false;
  const cached = subtreeCache.get(schema);
  if (cached !== undefined) return cached;
  subtreeCache.set(schema, false);
  const ap = schema.additionalProperties;
  const result =
    (schema['x-kubernetes-validations']?.length ?? 0) > 0 ||
    hasRules(schema.items) ||
    (typeof ap === 'object' && hasRules(ap)) ||
    Object.values(schema.properties ?? {}).some(hasRules);
  subtreeCache.set(schema, result);
  return result;
}

/** Old list items correlate only in x-kubernetes-list-type=map lists (by key fields). */
function correlatedItem(schema: JSONSchemaProps, item: unknown, old: unknown): unknown {
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old) || !isJsonObject(item))
    return undefined;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length === 0) return undefined;
  return old.find(
    (candidate) => isJsonObject(candidate) && keys.every((k) => deepEqual(candidate[k], item[k])),
  );
}

interface Context {
  readonly errors: FieldError[];
  readonly ratcheting: boolean;
}

function evaluateMessage(compiled: CompiledRule, bindings: Map<string, CelValue>): string | undefined {
  if (compiled.messageProgram === undefined) return undefined;
  try {
    const value = compiled.messageProgram.evaluate(bindings);
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    if (trimmed === '' || /\n/.test(trimmed) || trimmed.length > 5 * 1024) return undefined;
    return trimmed;
  } catch (error) {
    if (error instanceof CelEvalError) return undefined;
    throw error;
  }
}

function validateNodeRules(
  ctx: Context,
  schema: JSONSchemaProps,
  value: unknown,
  old: unknown,
  path: string,
  isResourceRoot: boolean,
): void {
  const compiledRules = compileRules(schema, isResourceRoot);
  if (compiledRules.length === 0) return;
  const type = schema.type ?? '';
  const view = celViewOf(schema, isResourceRoot);
  let self: CelValue;
  let oldSelf: CelValue | undefined;
  try {
    self = jsonToCel(value, view);
    oldSelf = old === undefined || old === null ? undefined : jsonToCel(old, view);
  } catch (error) {
    if (!(error instanceof CelEvalError)) throw error;
    ctx.errors.push(fieldError.invalid(fieldOrNil(path), type, `${error.message}`));
    return;
  }
  const ratchet = ctx.ratcheting && oldSelf !== undefined && deepEqual(value, old);
  for (const compiled of compiledRules) {
    const { rule } = compiled;
    if (compiled.error !== undefined) {
      ctx.errors.push(fieldError.invalid(fieldOrNil(path), type, `rule compile error: ${compiled.error}`));
      continue;
    }
    if (compiled.program === undefined) continue;
    const optionalOldSelf = rule.optionalOldSelf === true;
    if (compiled.usesOldSelf && oldSelf === undefined && !optionalOldSelf) continue;
    const bindings = new Map<string, CelValue>([['self', self]]);
    if (optionalOldSelf)
      bindings.set('oldSelf', oldSelf === undefined ? CelOptional.none : CelOptional.of(oldSelf));
    else if (oldSelf !== undefined) bindings.set('oldSelf', oldSelf);
    let result: CelValue;
    try {
      result = compiled.program.evaluate(bindings);
    } catch (error) {
      if (!(error instanceof CelEvalError)) throw error;
      const detail = error.message.startsWith('no such overload')
        ? `'${error.message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
        : `${error.message} evaluating rule: ${ruleErrorString(rule)}`;
      ctx.errors.push(fieldError.invalid(fieldOrNil(path), type, detail));
      continue;
    }
    if (result === true) continue;
    if (!compiled.usesOldSelf && ratchet) continue;
    const errorPath =
      compiled.fieldPath === undefined ? fieldOrNil(path) : childPath(path, compiled.fieldPath);
    const detail = evaluateMessage(compiled, bindings) ?? ruleMessageOrDefault(rule);
    ctx.errors.push(errorForReason(errorPath, type, detail, rule));
  }
}

function walk(
  ctx: Context,
  schema: JSONSchemaProps,
  value: unknown,
  old: unknown,
  path: string,
  isResourceRoot: boolean,
): void {
  if (value === null || value === undefined || !hasRules(schema)) return;
  validateNodeRules(ctx, schema, value, old, path, isResourceRoot);
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined) return;
    value.forEach((item, i) =>
      walk(ctx, items, item, correlatedItem(schema, item, old), indexPath(path, i), false),
    );
    return;
  }
  if (!isJsonObject(value)) return;
  const oldObject = isJsonObject(old) ? old : undefined;
  const ap = schema.additionalProperties;
  if (typeof ap === 'object') {
    for (const [k, v] of Object.entries(value)) walk(ctx, ap, v, oldObject?.[k], indexPath(path, k), false);
  }
  const properties = schema.properties;
  if (properties !== undefined) {
    for (const [k, v] of Object.entries(value)) {
      const sub = properties[k];
      if (sub !== undefined) walk(ctx, sub, v, oldObject?.[k], childPath(path, k), false);
    }
  }
}

export interface RuleValidationOptions {
  /** Field path of the value (empty for a CR, whose root-level rule errors read `<nil>: …`). */
  readonly rootPath?: string;
  /** The value is a whole resource: its rules see apiVersion, kind and metadata.name/generateName. */
  readonly isResourceRoot?: boolean;
  /** Drop failures of non-transition rules on values unchanged from `old` (default true). */
  readonly ratcheting?: boolean;
}

/** Evaluates every x-kubernetes-validations rule of the schema over `value` (and `old` on update). */
export function validateRules(
  schema: JSONSchemaProps,
  value: unknown,
  old: unknown,
  options: RuleValidationOptions = {},
): FieldError[] {
  const ctx: Context = { errors: [], ratcheting: options.ratcheting ?? true };
  walk(ctx, schema, value, old, options.rootPath ?? '', options.isResourceRoot ?? true);
  return ctx.errors;
}

export { hasRules as schemaHasRules };
