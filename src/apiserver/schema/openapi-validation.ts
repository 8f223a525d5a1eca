/**
 * OpenAPI value validation of a CR, ported from kube-openapi's validate package as the
 * apiextensions-apiserver drives it: validators run in kube-openapi's order, errors carry its
 * message templates (`spec.x in body must be of type integer: "string"`), and are converted to
 * field errors the way kubeOpenAPIResultToFieldErrors does. On update, validation ratchets
 * (Kubernetes 1.33, CRDValidationRatcheting GA): errors under a node whose value is unchanged from
 * the correlated old value are dropped.
 */

import { fieldError, type FieldError } from '../field-errors.ts';
import { checkFormat, isSupportedFormat } from './formats.ts';
import { formatGoFloat, formatGoNumber } from './go-format.ts';
import { deepEqual, isJsonObject, jsonTypeName } from './json.ts';
import { compileRe2, RegexSyntaxError } from './regex.ts';
import type { JSONSchemaProps } from './types.ts';

type Code =
  | 'invalidType'
  | 'required'
  | 'tooLong'
  | 'tooShort'
  | 'pattern'
  | 'enum'
  | 'multipleOf'
  | 'max'
  | 'min'
  | 'unique'
  | 'maxItems'
  | 'minItems'
  | 'tooFewProperties'
  | 'tooManyProperties'
  | 'unallowedProperty'
  | 'multipleOfMustBePositive'
  /** Plain errors (anyOf/oneOf/allOf/not summaries, range checks): reported at the root. */
  | 'composite';

interface OpenApiError {
  readonly code: Code;
  /** kube-openapi's path name: `spec.replicas`, `.name` for a root-level required field. */
  readonly name: string;
  readonly message: string;
  readonly value?: unknown;
  readonly valid?: number;
  readonly values?: readonly unknown[];
}

interface Result {
  errors: OpenApiError[];
  matchCount: number;
}

function newResult(): Result {
  return { errors: [], matchCount: 0 };
}

/** kube-openapi dedupes errors by message. */
function addError(result: Result, error: OpenApiError): void {
  if (!result.errors.some((e) => e.message === error.message)) result.errors.push(error);
}

function merge(into: Result, from: Result | undefined): void {
  if (from === undefined) return;
  for (const e of from.errors) addError(into, e);
  into.matchCount += from.matchCount;
}

/** Go's %q for the strings kube-openapi quotes. */
function quote(text: string): string {
  return JSON.stringify(text);
}

const IN = 'body';

const err = {
  invalidType(name: string, typeName: string, value: unknown): OpenApiError {
    const message =
      typeof value === 'string'
        ? `${name} in ${IN} must be of type ${typeName}: ${quote(value)}`
        : `${name} in ${IN} must be of type ${typeName}`;
    return { code: 'invalidType', name, message, value };
  },
  required: (name: string): OpenApiError => ({
    code: 'required',
    name,
    message: `${name} in ${IN} is required`,
  }),
  tooLong: (name: string, max: number, value: string): OpenApiError => ({
    code: 'tooLong',
    name,
    value,
    valid: max,
    message: `${name} in ${IN} should be at most ${max} chars long`,
  }),
  tooShort: (name: string, min: number, value: string): OpenApiError => ({
    code: 'tooShort',
    name,
    value,
    valid: min,
    message: `${name} in ${IN} should be at least ${min} chars long`,
  }),
  pattern: (name: string, pattern: string, value: string): OpenApiError => ({
    code: 'pattern',
    name,
    value,
    message: `${name} in ${IN} should match '${pattern}'`,
  }),
  enum: (name: string, value: unknown, values: readonly unknown[]): OpenApiError => ({
    code: 'enum',
    name,
    value,
    values,
    message: `${name} in ${IN} should be one of [${values.map(goValue).join(' ')}]`,
  }),
  notMultipleOf: (name: string, factor: string, value: unknown): OpenApiError => ({
    code: 'multipleOf',
    name,
    value,
    message: `${name} in ${IN} should be a multiple of ${factor}`,
  }),
  multipleOfMustBePositive: (name: string, factor: string): OpenApiError => ({
    code: 'multipleOfMustBePositive',
    name,
    value: factor,
    message: `factor MultipleOf declared for ${name} must be positive: ${factor}`,
  }),
  max: (name: string, max: string, exclusive: boolean, value: unknown): OpenApiError => ({
    code: 'max',
    name,
    value,
    message: `${name} in ${IN} should be less than ${exclusive ? '' : 'or equal to '}${max}`,
  }),
  min: (name: string, min: string, exclusive: boolean, value: unknown): OpenApiError => ({
    code: 'min',
    name,
    value,
    message: `${name} in ${IN} should be greater than ${exclusive ? '' : 'or equal to '}${min}`,
  }),
  unique: (name: string): OpenApiError => ({
    code: 'unique',
    name,
    message: `${name} in ${IN} shouldn't contain duplicates`,
  }),
  maxItems: (name: string, max: number, size: number): OpenApiError => ({
    code: 'maxItems',
    name,
    value: size,
    valid: max,
    message: `${name} in ${IN} should have at most ${max} items`,
  }),
  minItems: (name: string, min: number, size: number): OpenApiError => ({
    code: 'minItems',
    name,
    value: size,
    valid: min,
    message: `${name} in ${IN} should have at least ${min} items`,
  }),
  tooFewProperties: (name: string, min: number, size: number): OpenApiError => ({
    code: 'tooFewProperties',
    name,
    value: size,
    valid: min,
    message: `${name} in ${IN} should have at least ${min} properties`,
  }),
  tooManyProperties: (name: string, max: number, size: number): OpenApiError => ({
    code: 'tooManyProperties',
    name,
    value: size,
    valid: max,
    message: `${name} in ${IN} should have at most ${max} properties`,
  }),
  propertyNotAllowed: (name: string, key: string): OpenApiError => ({
    code: 'unallowedProperty',
    name,
    value: key,
    message: `${name}.${key} in ${IN} is a forbidden property`,
  }),
  composite: (name: string, message: string): OpenApiError => ({ code: 'composite', name, message }),
};

/** Go's %v of a decoded JSON value (used inside kube-openapi messages). */
function goValue(value: unknown): string {
  if (typeof value === 'number') return formatGoNumber(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (isJsonObject(value))
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${goValue(value[k])}`)
      .join(' ')}]`;
  return typeof value === 'bigint' ? value.toString() : typeof value;
}

/** The format kube-openapi sees: unsupported formats are stripped by the API server. */
function effectiveFormat(schema: JSONSchemaProps): string {
  const format = schema.format ?? '';
  return format !== '' && isSupportedFormat(format) ? format : '';
}

function schemaTypes(schema: JSONSchemaProps): string[] {
  if (schema['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  return schema.type === undefined || schema.type === '' ? [] : [schema.type];
}

/** swag.IsFloat64AJSONInteger. */
function isJsonInteger(value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (Number.isInteger(value)) return true;
  const diff = Math.abs(value - Math.round(value));
  return Math.abs(value) < 1 ? false : diff / Math.abs(value) < 1e-15;
}

/** Correlation of a node with the old object's value, for ratcheting; undefined when none. */
interface Old {
  readonly value: unknown;
}

class Validator {
  constructor(private readonly isResourceRoot: boolean) {}

  validate(
    schema: JSONSchemaProps,
    data: unknown,
    path: string,
    old: Old | undefined,
    atRoot: boolean,
  ): Result {
    if (old !== undefined && deepEqual(data, old.value)) {
      // Ratcheting: an unchanged value keeps validating even if the schema tightened since.
      return { errors: [], matchCount: 1 };
    }
    const result = newResult();
    const types = schemaTypes(schema);
    const format = effectiveFormat(schema);
    if (data === null || data === undefined) {
      if (types.length > 0 || format !== '') {
        merge(result, this.typeCheck(types, format, schema.nullable === true, null, path));
        result.matchCount++;
      }
      merge(result, this.enumCheck(schema, null, path));
      result.matchCount++;
      return result;
    }
    const run = (partial: Result | undefined): void => {
      merge(result, partial);
      result.matchCount++;
    };
    if (types.length > 0 || format !== '')
      run(this.typeCheck(types, format, schema.nullable === true, data, path));
    run(this.schemaProps(schema, data, path, old));
    if (typeof data === 'string') {
      run(this.stringCheck(schema, data, path));
      if (format !== '') run(this.formatCheck(format, data, path));
    }
    if (typeof data === 'number') run(this.numberCheck(schema, types, data, path));
    if (Array.isArray(data)) run(this.sliceCheck(schema, data, path, old));
    run(this.enumCheck(schema, data, path));
    if (isJsonObject(data)) run(this.objectCheck(schema, data, path, old, atRoot));
    result.matchCount++;
    return result;
  }

  private typeCheck(types: string[], format: string, nullable: boolean, data: unknown, path: string): Result {
    const result = newResult();
    result.matchCount++;
    if (data === null) {
      if (types.length > 0 && !types.includes('null') && !nullable)
        addError(result, err.invalidType(path, types.join(','), 'null'));
      return result;
    }
    const schType = jsonTypeName(data);
    const dataFormat = schType === 'integer' ? 'int64' : schType === 'number' ? 'float64' : '';
    const isStringOrSlice = typeof data === 'string' || Array.isArray(data);
    const isFloatInt = schType === 'number' && isJsonInteger(data as number) && types.includes('integer');
    const isIntFloat = schType === 'integer' && types.includes('number');
    if (
      !isStringOrSlice &&
      format !== '' &&
      !(types.includes(schType) || dataFormat === format || isFloatInt || isIntFloat)
    ) {
      addError(result, err.invalidType(path, format, dataFormat));
      return result;
    }
    if (!(types.includes('number') || types.includes('integer')) && format !== '' && isStringOrSlice)
      return result;
    if (!(types.includes(schType) || isFloatInt || isIntFloat))
      addError(result, err.invalidType(path, types.join(','), schType));
    return result;
  }

  private schemaProps(schema: JSONSchemaProps, data: unknown, path: string, old: Old | undefined): Result {
    const main = newResult();
    const anyOf = schema.anyOf ?? [];
    if (anyOf.length > 0) {
      let best: Result | undefined;
      let firstSuccess: Result | undefined;
      for (const sub of anyOf) {
        const r = this.validate(sub, data, path, old, false);
        if (r.errors.length === 0) {
          best = undefined;
          firstSuccess = r;
          break;
        }
        if (best === undefined || r.matchCount > best.matchCount) best = r;
      }
      if (firstSuccess === undefined)
        addError(main, err.composite(path, `${quote(path)} must validate at least one schema (anyOf)`));
      merge(main, best ?? firstSuccess);
    }
    const oneOf = schema.oneOf ?? [];
    if (oneOf.length > 0) {
      let best: Result | undefined;
      let firstSuccess: Result | undefined;
      let validated = 0;
      for (const sub of oneOf) {
        const r = this.validate(sub, data, path, old, false);
        if (r.errors.length === 0) {
          validated++;
          best = undefined;
          firstSuccess ??= r;
          continue;
        }
        if (validated === 0 && (best === undefined || r.matchCount > best.matchCount)) best = r;
      }
      if (validated !== 1) {
        const detail = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
        addError(
          main,
          err.composite(path, `${quote(path)} must validate one and only one schema (oneOf). ${detail}`),
        );
        merge(main, best);
      } else {
        merge(main, firstSuccess);
      }
    }
    const allOf = schema.allOf ?? [];
    if (allOf.length > 0) {
      let validated = 0;
      for (const sub of allOf) {
        const r = this.validate(sub, data, path, old, false);
        if (r.errors.length === 0) validated++;
        merge(main, r);
      }
      if (validated !== allOf.length) {
        const detail = validated === 0 ? '. None validated' : '';
        addError(main, err.composite(path, `${quote(path)} must validate all the schemas (allOf)${detail}`));
      }
    }
    if (schema.not !== undefined) {
      const r = this.validate(schema.not, data, path, old, false);
      if (r.errors.length === 0)
        addError(main, err.composite(path, `${quote(path)} must not validate the schema (not)`));
    }
    main.matchCount++;
    return main;
  }

  private stringCheck(schema: JSONSchemaProps, data: string, path: string): Result | undefined {
    const result = newResult();
    const length = [...data].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      addError(result, err.tooLong(path, schema.maxLength, data));
      return result;
    }
    if (schema.minLength !== undefined && length < schema.minLength) {
      addError(result, err.tooShort(path, schema.minLength, data));
      return result;
    }
    if (schema.pattern !== undefined && schema.pattern !== '') {
      let re: RegExp;
      try {
        re = compileRe2(schema.pattern);
      } catch (error) {
        const reason = error instanceof RegexSyntaxError ? error.message : String(error);
        addError(result, err.pattern(path, `${schema.pattern}, but pattern is invalid: ${reason}`, data));
        return result;
      }
      if (!re.test(data)) addError(result, err.pattern(path, schema.pattern, data));
    }
    return result.errors.length > 0 ? result : undefined;
  }

  private formatCheck(format: string, data: string, path: string): Result | undefined {
    if (checkFormat(format, data)) return undefined;
    const result = newResult();
    addError(result, err.invalidType(path, format, data));
    return result;
  }

  private numberCheck(schema: JSONSchemaProps, types: string[], data: number, path: string): Result {
    const result = newResult();
    const typeName = types.length === 1 && (types[0] === 'integer' || types[0] === 'number') ? types[0] : '';
    const isInt = Number.isInteger(data);
    // IsValueValidAgainstRange: for integer schemas every number involved must parse as int64.
    const rangeError = (value: number, prefix: string): OpenApiError | undefined =>
      typeName === 'integer' && !Number.isInteger(value)
        ? err.composite(path, `${prefix} value must be of type integer (default format) in ${path}`)
        : undefined;
    const checked = rangeError(data, 'Checked');
    if (checked !== undefined) addError(result, checked);

    const multiple = newResult();
    if (schema.multipleOf !== undefined) {
      const factor = schema.multipleOf;
      const bad = rangeError(factor, 'MultipleOf');
      if (bad !== undefined) addError(multiple, bad);
      if (bad === undefined && isInt) {
        const f = Math.trunc(factor);
        if (f <= 0) addError(multiple, err.multipleOfMustBePositive(path, String(f)));
        else if (data % f !== 0) addError(multiple, err.notMultipleOf(path, String(f), data));
      } else if (factor <= 0) {
        addError(multiple, err.multipleOfMustBePositive(path, formatGoFloat(factor)));
      } else {
        const mult = factor < 1 ? (1 / factor) * data : data / factor;
        if (!isJsonInteger(mult)) addError(multiple, err.notMultipleOf(path, formatGoFloat(factor), data));
      }
    }
    const bound = (limit: number | undefined, exclusive: boolean, isMax: boolean): Result => {
      const r = newResult();
      if (limit === undefined) return r;
      const bad = rangeError(limit, isMax ? 'Maximum boundary' : 'Minimum boundary');
      if (bad !== undefined) addError(r, bad);
      const native = bad === undefined && isInt;
      const l = native ? Math.trunc(limit) : limit;
      const fails = isMax ? (exclusive ? data >= l : data > l) : exclusive ? data <= l : data < l;
      if (fails) {
        const shown = native ? String(l) : formatGoFloat(l);
        addError(r, isMax ? err.max(path, shown, exclusive, data) : err.min(path, shown, exclusive, data));
      }
      return r;
    };
    merge(result, multiple);
    merge(result, bound(schema.minimum, schema.exclusiveMinimum === true, false));
    merge(result, bound(schema.maximum, schema.exclusiveMaximum === true, true));
    result.matchCount++;
    return result;
  }

  private sliceCheck(schema: JSONSchemaProps, data: unknown[], path: string, old: Old | undefined): Result {
    const result = newResult();
    if (schema.items !== undefined) {
      const items = schema.items;
      data.forEach((item, i) => {
        merge(
          result,
          this.validate(items, item, `${path}[${i}]`, correlateListItem(schema, item, old), false),
        );
      });
    }
    if (schema.minItems !== undefined && data.length < schema.minItems)
      addError(result, err.minItems(path, schema.minItems, data.length));
    if (schema.maxItems !== undefined && data.length > schema.maxItems)
      addError(result, err.maxItems(path, schema.maxItems, data.length));
    if (schema.uniqueItems === true && data.some((v, i) => data.slice(0, i).some((u) => deepEqual(u, v))))
      addError(result, err.unique(path));
    result.matchCount++;
    return result;
  }

  private enumCheck(schema: JSONSchemaProps, data: unknown, path: string): Result | undefined {
    const values = schema.enum ?? [];
    if (values.length === 0) return undefined;
    if (values.some((v) => enumMatches(data, v))) return undefined;
    const result = newResult();
    addError(result, err.enum(path, data, values));
    return result;
  }

  private objectCheck(
    schema: JSONSchemaProps,
    data: Record<string, unknown>,
    path: string,
    old: Old | undefined,
    atRoot: boolean,
  ): Result {
    const result = newResult();
    const keys = Object.keys(data);
    const properties = schema.properties ?? {};
    if (schema.minProperties !== undefined && keys.length < schema.minProperties)
      addError(result, err.tooFewProperties(path, schema.minProperties, keys.length));
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
      addError(result, err.tooManyProperties(path, schema.maxProperties, keys.length));
    const ap = schema.additionalProperties;
    if (ap === false) {
      for (const k of keys)
        if (!Object.hasOwn(properties, k)) addError(result, err.propertyNotAllowed(path, k));
    } else if (typeof ap === 'object') {
      for (const k of keys) {
        if (Object.hasOwn(properties, k)) continue;
        merge(result, this.validate(ap, data[k], `${path}.${k}`, childOld(old, k), false));
      }
    }
    for (const [name, propSchema] of Object.entries(properties)) {
      if (!Object.hasOwn(data, name)) continue;
      const childPath = path === '' ? name : `${path}.${name}`;
      // Type meta of the resource itself never ratchets: apiVersion/kind must always be valid.
      const correlated =
        atRoot && this.isResourceRoot && (name === 'kind' || name === 'apiVersion')
          ? undefined
          : childOld(old, name);
      merge(result, this.validate(propSchema, data[name], childPath, correlated, false));
    }
    for (const k of schema.required ?? []) {
      if (!Object.hasOwn(data, k)) addError(result, err.required(`${path}.${k}`));
    }
    result.matchCount++;
    return result;
  }
}

function childOld(old: Old | undefined, key: string): Old | undefined {
  if (old === undefined || !isJsonObject(old.value) || !Object.hasOwn(old.value, key)) return undefined;
  return { value: old.value[key] };
}

/** Old list items correlate only for x-kubernetes-list-type=map, by their key fields. */
function correlateListItem(schema: JSONSchemaProps, item: unknown, old: Old | undefined): Old | undefined {
  if (old === undefined || schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old.value))
    return undefined;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  if (!isJsonObject(item) || keys.length === 0) return undefined;
  const match: unknown = old.value.find(
    (candidate) => isJsonObject(candidate) && keys.every((k) => deepEqual(candidate[k], item[k])),
  );
  return match === undefined ? undefined : { value: match };
}

/** kube-openapi converts the value to the enum entry's Go type before comparing. */
function enumMatches(data: unknown, enumValue: unknown): boolean {
  if (typeof data === 'number' && typeof enumValue === 'number') return data === enumValue;
  return deepEqual(data, enumValue);
}

/** Field errors from kube-openapi results, as apiextensions' kubeOpenAPIResultToFieldErrors builds them. */
function toFieldErrors(errors: readonly OpenApiError[], rootPath: string): FieldError[] {
  const rootField = rootPath === '' ? '<nil>' : rootPath;
  return errors.map((e) => {
    if (e.code === 'composite') return fieldError.invalid(rootField, '', e.message);
    const name = e.name.startsWith('.') ? e.name.slice(1) : e.name;
    let field = rootField;
    if (e.name !== '' && e.name !== '.') field = rootPath === '' ? name : `${rootPath}.${name}`;
    // Go prints a nil value as "null" (quoted, since it substitutes the string).
    const value = e.value === undefined || e.value === null ? '' : e.value;
    switch (e.code) {
      case 'required':
        return fieldError.required(field);
      case 'enum': {
        const allowed = (e.values ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
        return fieldError.notSupported(field, e.value === null ? 'null' : e.value, allowed);
      }
      case 'tooLong':
        return fieldError.tooLong(field, e.valid ?? -1);
      case 'maxItems':
      case 'tooManyProperties':
        return fieldError.tooMany(field, Number(e.value ?? -1), e.valid ?? -1);
      case 'invalidType':
        return fieldError.typeInvalid(field, value, e.message);
      default:
        return fieldError.invalid(field, value, e.message);
    }
  });
}

export interface OpenApiValidationOptions {
  /** Field path prefix of the errors (e.g. `spec.versions[0]...default`); empty for a CR. */
  readonly rootPath?: string;
  /** The value is a whole resource (kind/apiVersion are exempt from ratcheting). */
  readonly isResourceRoot?: boolean;
}

/**
 * Validates a value against a schema. With `old` (an update), unchanged parts ratchet. Messages
 * name paths relative to the value itself; `rootPath` only prefixes the field paths, as
 * ValidateCustomResource(fldPath, …) does.
 */
export function validateOpenApi(
  schema: JSONSchemaProps,
  value: unknown,
  old: unknown,
  options: OpenApiValidationOptions = {},
): FieldError[] {
  const validator = new Validator(options.isResourceRoot ?? true);
  const result = validator.validate(schema, value, '', old === undefined ? undefined : { value: old }, true);
  return toFieldErrors(result.errors, options.rootPath ?? '');
}
