/**
 * The checks kube-apiserver applies to a CRD version's openAPIV3Schema when the CRD is written
 * (apiextensions validation for v1 CRDs): the OpenAPI subset CRDs may use, the structural-schema
 * invariants, defaults that must be pruned and valid, and x-kubernetes-validations rules that must
 * compile. Errors use the CRD's field paths (`….openAPIV3Schema.properties[spec].type`).
 */

import { childPath, fieldError, formatFieldError, indexPath, type FieldError } from '../field-errors.ts';
import { deepEqual } from './json.ts';
import { validateOpenApi } from './openapi-validation.ts';
import { prune } from './pruning.ts';
import { compileRe2, RegexSyntaxError } from './regex.ts';
import type { JSONSchemaProps } from './types.ts';
import { compileRules, resolveRuleFieldPath, validateRules } from './validation-rules.ts';

const openapiV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const supportedReasons = [
  'FieldValueDuplicate',
  'FieldValueForbidden',
  'FieldValueInvalid',
  'FieldValueRequired',
];
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);

const props = (path: string, key: string): string => indexPath(childPath(path, 'properties'), key);
const at = (path: string, ...names: string[]): string => names.reduce(childPath, path);

// ---------------------------------------------------------------------------------------------
// Structural invariants (apiextensions-apiserver pkg/apiserver/schema/validation.go, complete.go)

type Level = 'root' | 'item' | 'field';

function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  return (
    anyOf !== undefined &&
    anyOf.length === 2 &&
    deepEqual(anyOf[0], { type: 'integer' }) &&
    deepEqual(anyOf[1], { type: 'string' })
  );
}

function validatePattern(schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  if (schema.pattern === undefined || schema.pattern === '') return;
  try {
    compileRe2(schema.pattern);
  } catch (error) {
    const reason = error instanceof RegexSyntaxError ? error.message : String(error);
    errors.push(
      fieldError.invalid(
        at(path, 'pattern'),
        schema.pattern,
        `must be a valid regular expression, but isn't: ${reason}`,
      ),
    );
  }
}

/** Checks anyOf/allOf/oneOf/not of a structural node: they may only hold value validations. */
function validateValueValidation(
  schema: JSONSchemaProps,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  path: string,
  errors: FieldError[],
): void {
  if (!skipAnyOf)
    (schema.anyOf ?? []).forEach((s, i) =>
      validateNested(s, false, false, indexPath(at(path, 'anyOf'), i), errors),
    );
  (schema.allOf ?? []).forEach((s, i) =>
    validateNested(s, skipFirstAllOfAnyOf && i === 0, false, indexPath(at(path, 'allOf'), i), errors),
  );
  (schema.oneOf ?? []).forEach((s, i) =>
    validateNested(s, false, false, indexPath(at(path, 'oneOf'), i), errors),
  );
  if (schema.not !== undefined) validateNested(schema.not, false, false, at(path, 'not'), errors);
  validatePattern(schema, path, errors);
}

function validateNested(
  schema: JSONSchemaProps,
  skipAnyOf: boolean,
  skipAllOfAnyOf: boolean,
  path: string,
  errors: FieldError[],
): void {
  validateValueValidation(schema, skipAnyOf, skipAllOfAnyOf, path, errors);
  if (schema.items !== undefined) validateNested(schema.items, false, false, at(path, 'items'), errors);
  for (const [k, v] of Object.entries(schema.properties ?? {}))
    validateNested(v, false, false, props(path, k), errors);
  const forbid = (name: string, detail: string): void => {
    errors.push(fieldError.forbidden(at(path, name), detail));
  };
  if (schema.type !== undefined && schema.type !== '') forbid('type', 'must be empty to be structural');
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
    forbid('additionalProperties', 'must be undefined to be structural');
  if (schema.default !== undefined) forbid('default', 'must be undefined to be structural');
  if ((schema.title ?? '') !== '') forbid('title', 'must be empty to be structural');
  if ((schema.description ?? '') !== '') forbid('description', 'must be empty to be structural');
  if (schema.nullable === true) forbid('nullable', 'must be false to be structural');
  if (schema['x-kubernetes-preserve-unknown-fields'] === true)
    forbid('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  if (schema['x-kubernetes-embedded-resource'] === true)
    forbid('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (schema['x-kubernetes-int-or-string'] === true)
    forbid('x-kubernetes-int-or-string', 'must be false to be structural');
  if ((schema['x-kubernetes-list-map-keys'] ?? []).length > 0)
    forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (schema['x-kubernetes-list-type'] !== undefined)
    forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (schema['x-kubernetes-map-type'] !== undefined)
    forbid('x-kubernetes-map-type', 'must be undefined to be structural');
  if ((schema['x-kubernetes-validations'] ?? []).length > 0)
    forbid('x-kubernetes-validations', 'must be empty to be structural');
  if (schema.properties?.metadata !== undefined)
    errors.push(fieldError.forbidden(props(path, 'metadata'), 'must not be specified in a nested context'));
}

function validateMetadataInvariants(
  metadata: JSONSchemaProps,
  checkMetadata: boolean,
  level: Level,
  path: string,
  errors: FieldError[],
): void {
  if (checkMetadata && metadata.type !== 'object')
    errors.push(fieldError.invalid(at(path, 'type'), metadata.type ?? '', 'must be object'));
  if (level !== 'root') return;
  // At the root, metadata may only restrict name and generateName (and say it is an object).
  const rest: JSONSchemaProps = { ...metadata };
  delete rest.type;
  delete rest.default;
  const names = Object.keys(rest.properties ?? {});
  if (names.length > 0 && names.every((n) => n === 'name' || n === 'generateName')) delete rest.properties;
  const meaningful = Object.entries(rest).filter(([, v]) => v !== undefined && v !== false && v !== '');
  if (meaningful.length > 0)
    errors.push(
      fieldError.forbidden(
        path,
        'must not specify anything other than name and generateName, but metadata is implicitly specified',
      ),
    );
}

function validateInvariants(schema: JSONSchemaProps, level: Level, path: string, errors: FieldError[]): void {
  if (schema.type === 'array' && schema.items === undefined)
    errors.push(fieldError.required(at(path, 'items'), 'must be specified'));
  if (schema.items !== undefined) validateInvariants(schema.items, 'item', at(path, 'items'), errors);
  for (const [k, v] of Object.entries(schema.properties ?? {}))
    validateInvariants(v, 'field', props(path, k), errors);
  const ap = schema.additionalProperties;
  if (ap !== undefined) {
    if (level === 'root')
      errors.push(fieldError.forbidden(at(path, 'additionalProperties'), 'must not be used at the root'));
    if (typeof ap === 'object') validateInvariants(ap, 'field', at(path, 'additionalProperties'), errors);
  }
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve)
    errors.push(
      fieldError.invalid(
        at(path, 'x-kubernetes-preserve-unknown-fields'),
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  if (intOrString && embedded)
    errors.push(
      fieldError.invalid(
        at(path, 'x-kubernetes-embedded-resource'),
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  const skipAnyOf = isIntOrStringAnyOf(schema.anyOf);
  const skipFirstAllOfAnyOf = isIntOrStringAnyOf(schema.allOf?.[0]?.anyOf);
  validateValueValidation(schema, skipAnyOf, skipFirstAllOfAnyOf, path, errors);

  const type = schema.type ?? '';
  if (embedded && type !== 'object') {
    errors.push(
      type === ''
        ? fieldError.required(at(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true')
        : fieldError.invalid(
            at(path, 'type'),
            type,
            'must be object if x-kubernetes-embedded-resource is true',
          ),
    );
  } else if (type === '' && !intOrString && !preserve) {
    const detail = {
      root: 'must not be empty at the root',
      item: 'must not be empty for specified array items',
      field: 'must not be empty for specified object fields',
    }[level];
    errors.push(fieldError.required(at(path, 'type'), detail));
  }
  if (embedded && ap !== undefined)
    errors.push(
      fieldError.forbidden(
        at(path, 'additionalProperties'),
        'must not be used if x-kubernetes-embedded-resource is set',
      ),
    );
  if (level === 'root' && type !== '' && type !== 'object')
    errors.push(fieldError.invalid(at(path, 'type'), type, 'must be object at the root'));
  const checkMetadata = level === 'root' || embedded;
  for (const meta of ['kind', 'apiVersion']) {
    const prop = schema.properties?.[meta];
    if (prop !== undefined && checkMetadata && prop.type !== 'string')
      errors.push(fieldError.invalid(at(props(path, meta), 'type'), prop.type ?? '', 'must be string'));
  }
  const metadata = schema.properties?.metadata;
  if (metadata !== undefined)
    validateMetadataInvariants(metadata, checkMetadata, level, props(path, 'metadata'), errors);
  if (embedded && !preserve && Object.keys(schema.properties ?? {}).length === 0)
    errors.push(
      fieldError.required(
        at(path, 'properties'),
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
}

/** Every property a value validation (allOf/anyOf/oneOf/not) mentions must exist structurally. */
function validateCompleteness(
  v: JSONSchemaProps,
  s: JSONSchemaProps | undefined,
  sPath: string,
  vPath: string,
  errors: FieldError[],
): void {
  const nested: [JSONSchemaProps, string][] = [];
  if (v.not !== undefined) nested.push([v.not, at(vPath, 'not')]);
  (v.allOf ?? []).forEach((x, i) => nested.push([x, indexPath(at(vPath, 'allOf'), i)]));
  (v.anyOf ?? []).forEach((x, i) => nested.push([x, indexPath(at(vPath, 'anyOf'), i)]));
  (v.oneOf ?? []).forEach((x, i) => nested.push([x, indexPath(at(vPath, 'oneOf'), i)]));
  for (const [n, nPath] of nested) validateNestedCompleteness(n, s, sPath, nPath, errors);
}

function validateNestedCompleteness(
  v: JSONSchemaProps,
  s: JSONSchemaProps | undefined,
  sPath: string,
  vPath: string,
  errors: FieldError[],
): void {
  if (s === undefined) {
    errors.push(fieldError.required(sPath, `because it is defined in ${vPath}`));
    return;
  }
  validateCompleteness(v, s, sPath, vPath, errors);
  if (v.items !== undefined)
    validateNestedCompleteness(v.items, s.items, at(sPath, 'items'), at(vPath, 'items'), errors);
  for (const [k, vField] of Object.entries(v.properties ?? {})) {
    const sField = s.properties?.[k];
    if (sField === undefined)
      errors.push(fieldError.required(props(sPath, k), `because it is defined in ${props(vPath, k)}`));
    else validateNestedCompleteness(vField, sField, props(sPath, k), props(vPath, k), errors);
  }
}

function validateStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errors: FieldError[] = [];
  validateInvariants(schema, 'root', path, errors);
  validateCompleteness(schema, schema, path, path, errors);
  return errors.sort((a, b) => {
    const x = formatFieldError(a);
    const y = formatFieldError(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Defaults (apiextensions-apiserver pkg/apiserver/schema/defaulting/validation.go)

function validateDefaults(
  schema: JSONSchemaProps,
  path: string,
  resourceRoot: JSONSchemaProps,
  insideMeta: boolean,
  errors: FieldError[],
  isTop = false,
): void {
  // The CRD's root is validated as if it were an embedded resource.
  const embedded = isTop || schema['x-kubernetes-embedded-resource'] === true;
  const root = embedded ? schema : resourceRoot;
  const meta = embedded ? false : insideMeta;
  const isResourceRoot = schema === root;
  if (schema.default !== undefined) {
    const defaultPath = at(path, 'default');
    const value = schema.default;
    if (!meta && !deepEqual(prune(schema, value, { isResourceRoot: embedded }).value, value))
      errors.push(fieldError.invalid(defaultPath, value, 'must not have unknown fields'));
    const schemaErrors = validateOpenApi(schema, value, undefined, {
      rootPath: defaultPath,
      isResourceRoot: false,
    });
    if (schemaErrors.length > 0) {
      errors.push(...schemaErrors);
    } else {
      const options = { rootPath: defaultPath, isResourceRoot, ratcheting: false };
      const ruleErrors = validateRules(schema, value, value, options);
      errors.push(...ruleErrors);
      // A default must also hold when introduced by a create (no oldSelf), for optionalOldSelf rules.
      if (ruleErrors.length === 0) errors.push(...validateRules(schema, value, undefined, options));
    }
  }
  // Defaults under additionalProperties are not followed (Kubernetes forbids them in metadata maps).
  if (schema.items !== undefined) validateDefaults(schema.items, at(path, 'items'), root, meta, errors);
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    validateDefaults(sub, props(path, k), root, meta || (embedded && metaFields.has(k)), errors);
  }
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI subset and extensions CRDs may use (apis/apiextensions/validation/validation.go)

interface SsvOptions {
  readonly allowDefaults: boolean;
  readonly disallowDefaultsReason: string;
  readonly insideResourceMeta: boolean;
  /** The first ancestor below which old and new values cannot be correlated (oldSelf unusable). */
  readonly uncorrelatablePath: string | undefined;
}

interface SchemaErrors {
  schema: FieldError[];
  cel: FieldError[];
}

function standardChecks(schema: JSONSchemaProps, path: string, ssv: SsvOptions): FieldError[] {
  const errors: FieldError[] = [];
  const type = schema.type ?? '';
  if (type !== '' && !openapiV3Types.includes(type))
    errors.push(fieldError.notSupported(at(path, 'type'), type, openapiV3Types));
  if (schema.default !== undefined && !ssv.allowDefaults) {
    const detail =
      ssv.disallowDefaultsReason === '' ? 'must not be set' : `must not be set ${ssv.disallowDefaultsReason}`;
    errors.push(fieldError.forbidden(at(path, 'default'), detail));
  }
  if ((schema.id ?? '') !== '') errors.push(fieldError.forbidden(at(path, 'id'), 'id is not supported'));
  if (schema.additionalItems !== undefined)
    errors.push(fieldError.forbidden(at(path, 'additionalItems'), 'additionalItems is not supported'));
  if (Object.keys(schema.patternProperties ?? {}).length > 0)
    errors.push(fieldError.forbidden(at(path, 'patternProperties'), 'patternProperties is not supported'));
  if (Object.keys(schema.definitions ?? {}).length > 0)
    errors.push(fieldError.forbidden(at(path, 'definitions'), 'definitions is not supported'));
  if (schema.dependencies !== undefined)
    errors.push(fieldError.forbidden(at(path, 'dependencies'), 'dependencies is not supported'));
  if (schema.$ref !== undefined) errors.push(fieldError.forbidden(at(path, '$ref'), '$ref is not supported'));
  if (type === 'null')
    errors.push(
      fieldError.forbidden(at(path, 'type'), 'type cannot be set to null, use nullable as an alternative'),
    );
  if (Array.isArray(schema.items))
    errors.push(fieldError.forbidden(at(path, 'items'), 'items must be a schema object and not an array'));
  if (ssv.insideResourceMeta && schema['x-kubernetes-embedded-resource'] === true)
    errors.push(
      fieldError.forbidden(
        at(path, 'x-kubernetes-embedded-resource'),
        'must not be used inside of resource meta',
      ),
    );
  return errors;
}

function listTypeChecks(schema: JSONSchemaProps, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = schema.type ?? '';
  const listType = schema['x-kubernetes-list-type'];
  const mapType = schema['x-kubernetes-map-type'];
  const mapKeys = schema['x-kubernetes-list-map-keys'] ?? [];
  if (schema['x-kubernetes-preserve-unknown-fields'] === false)
    errors.push(
      fieldError.invalid(
        at(path, 'x-kubernetes-preserve-unknown-fields'),
        false,
        'must be true or undefined',
      ),
    );
  if (mapType !== undefined && type !== 'object')
    errors.push(
      type === ''
        ? fieldError.required(at(path, 'type'), 'must be object if x-kubernetes-map-type is specified')
        : fieldError.invalid(at(path, 'type'), type, 'must be object if x-kubernetes-map-type is specified'),
    );
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular')
    errors.push(fieldError.notSupported(at(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  if (listType !== undefined && type !== 'array') {
    errors.push(
      type === ''
        ? fieldError.required(at(path, 'type'), 'must be array if x-kubernetes-list-type is specified')
        : fieldError.invalid(at(path, 'type'), type, 'must be array if x-kubernetes-list-type is specified'),
    );
  } else if (listType === 'set' && schema.items !== undefined) {
    const items = schema.items;
    if (
      items.type === 'array' &&
      items['x-kubernetes-list-type'] !== undefined &&
      items['x-kubernetes-list-type'] !== 'atomic'
    )
      errors.push(
        fieldError.invalid(
          at(path, 'items', 'x-kubernetes-list-type'),
          items['x-kubernetes-list-type'],
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic')
      errors.push(
        fieldError.invalid(
          at(path, 'items', 'x-kubernetes-map-type'),
          items['x-kubernetes-list-type'] ?? null,
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType))
    errors.push(
      fieldError.notSupported(at(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']),
    );
  if (mapKeys.length > 0) {
    if (listType === undefined)
      errors.push(
        fieldError.required(
          at(path, 'x-kubernetes-list-type'),
          'must be map if x-kubernetes-list-map-keys is non-empty',
        ),
      );
    else if (listType !== 'map')
      errors.push(
        fieldError.invalid(
          at(path, 'x-kubernetes-list-type'),
          listType,
          'must be map if x-kubernetes-list-map-keys is non-empty',
        ),
      );
  }
  if (listType === 'map') {
    if (mapKeys.length === 0)
      errors.push(
        fieldError.required(
          at(path, 'x-kubernetes-list-map-keys'),
          'must not be empty if x-kubernetes-list-type is map',
        ),
      );
    const items = schema.items;
    if (items === undefined) {
      errors.push(
        fieldError.required(at(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'),
      );
    } else if (items.type !== 'object') {
      errors.push(
        fieldError.invalid(
          at(path, 'items', 'type'),
          items.type ?? '',
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      );
    } else {
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const keySchema = items.properties?.[k];
        if (keySchema === undefined)
          errors.push(
            fieldError.invalid(
              at(path, 'x-kubernetes-list-map-keys'),
              mapKeys,
              'entries must all be names of item properties',
            ),
          );
        else if (keySchema.type === 'array' || keySchema.type === 'object')
          errors.push(
            fieldError.invalid(
              at(props(at(path, 'items'), k), 'type'),
              items.type,
              "must be a scalar type if parent array's x-kubernetes-list-type is map",
            ),
          );
        if (seen.has(k))
          errors.push(
            fieldError.invalid(
              at(path, 'x-kubernetes-list-map-keys'),
              mapKeys,
              'must not contain duplicate entries',
            ),
          );
        seen.add(k);
      }
    }
  }
  // Items of set and map lists must not be nullable; map keys must be required or defaulted.
  if ((listType === 'set' || listType === 'map') && schema.items !== undefined) {
    const items = schema.items;
    if (items.nullable === true)
      errors.push(
        fieldError.forbidden(
          at(path, 'items', 'nullable'),
          `cannot be nullable when x-kubernetes-list-type is ${listType}`,
        ),
      );
    if (listType === 'map') {
      for (const k of mapKeys) {
        const keySchema = items.properties?.[k];
        if (keySchema === undefined) continue;
        if (!(items.required ?? []).includes(k) && keySchema.default === undefined)
          errors.push(
            fieldError.required(
              at(props(at(path, 'items'), k), 'default'),
              'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
            ),
          );
        if (keySchema.nullable === true)
          errors.push(
            fieldError.forbidden(
              at(props(at(path, 'items'), k), 'nullable'),
              'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
            ),
          );
      }
    }
  }
  return errors;
}

function ruleShapeChecks(schema: JSONSchemaProps, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const rulePath = indexPath(at(path, 'x-kubernetes-validations'), i);
    const trimmedRule = rule.rule.trim();
    const message = rule.message ?? '';
    const trimmedMessage = message.trim();
    if (trimmedRule === '') errors.push(fieldError.required(at(rulePath, 'rule'), 'rule is not specified'));
    else if (message !== '' && trimmedMessage === '')
      errors.push(
        fieldError.invalid(at(rulePath, 'message'), message, 'message must be non-empty if specified'),
      );
    else if (/[\n\r]/.test(trimmedMessage))
      errors.push(
        fieldError.invalid(at(rulePath, 'message'), message, 'message must not contain line breaks'),
      );
    else if (/[\n\r]/.test(trimmedRule) && trimmedMessage === '')
      errors.push(
        fieldError.required(
          at(rulePath, 'message'),
          'message must be specified if rule contains line breaks',
        ),
      );
    const messageExpression = rule.messageExpression ?? '';
    if (messageExpression !== '' && messageExpression.trim() === '')
      errors.push(
        fieldError.required(
          at(rulePath, 'messageExpression'),
          'messageExpression must be non-empty if specified',
        ),
      );
    if (rule.reason !== undefined && !supportedReasons.includes(rule.reason))
      errors.push(fieldError.notSupported(at(rulePath, 'reason'), rule.reason, supportedReasons));
    const fieldPath = rule.fieldPath ?? '';
    if (fieldPath !== '' && fieldPath.trim() === '')
      errors.push(
        fieldError.invalid(at(rulePath, 'fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'),
      );
    if (/[\n\r]/.test(fieldPath))
      errors.push(
        fieldError.invalid(at(rulePath, 'fieldPath'), fieldPath, 'fieldPath must not contain line breaks'),
      );
    if (fieldPath !== '' && resolveRuleFieldPath(fieldPath, schema) === undefined)
      errors.push(fieldError.invalid(at(rulePath, 'fieldPath'), fieldPath, 'fieldPath must be a valid path'));
  });
  return errors;
}

function celCompileChecks(
  schema: JSONSchemaProps,
  path: string,
  isRoot: boolean,
  ssv: SsvOptions,
): FieldError[] {
  const errors: FieldError[] = [];
  compileRules(schema, isRoot).forEach((compiled, i) => {
    const rulePath = indexPath(at(path, 'x-kubernetes-validations'), i);
    const { rule } = compiled;
    if (compiled.error !== undefined)
      errors.push(fieldError.invalid(at(rulePath, 'rule'), rule, compiled.error));
    if (compiled.messageError !== undefined)
      errors.push(fieldError.invalid(at(rulePath, 'messageExpression'), rule, compiled.messageError));
    if (compiled.program === undefined) return;
    if (compiled.usesOldSelf) {
      if (ssv.uncorrelatablePath !== undefined)
        errors.push(
          fieldError.invalid(
            at(rulePath, 'rule'),
            rule.rule,
            `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ssv.uncorrelatablePath}`,
          ),
        );
    } else if (rule.optionalOldSelf !== undefined) {
      errors.push(
        fieldError.invalid(
          at(rulePath, 'optionalOldSelf'),
          rule.optionalOldSelf,
          'may not be set if oldSelf is not used in rule',
        ),
      );
    }
  });
  return errors;
}

function checkSchema(
  schema: JSONSchemaProps,
  path: string,
  ssv: SsvOptions,
  isRoot: boolean,
  compileCel: boolean,
): SchemaErrors {
  const out: SchemaErrors = { schema: standardChecks(schema, path, ssv), cel: [] };
  const append = (child: SchemaErrors): void => {
    out.schema.push(...child.schema);
    out.cel.push(...child.cel);
  };
  if (schema.uniqueItems === true)
    out.schema.push(
      fieldError.forbidden(
        at(path, 'uniqueItems'),
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  const ap = schema.additionalProperties;
  if (ap !== undefined) {
    if (Object.keys(schema.properties ?? {}).length > 0 && (ap === false || typeof ap === 'object'))
      out.schema.push(
        fieldError.forbidden(
          at(path, 'additionalProperties'),
          'additionalProperties and properties are mutual exclusive',
        ),
      );
    if (typeof ap === 'object') {
      const sub = ssv.insideResourceMeta
        ? {
            ...ssv,
            allowDefaults: false,
            disallowDefaultsReason: 'inside additionalProperties applying to object metadata',
          }
        : ssv;
      append(checkSchema(ap, at(path, 'additionalProperties'), sub, false, compileCel));
    }
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    let sub = ssv;
    const mapType = schema['x-kubernetes-map-type'];
    if (mapType !== undefined && mapType !== 'granular' && mapType !== 'atomic')
      sub = { ...sub, uncorrelatablePath: sub.uncorrelatablePath ?? path };
    if ((isRoot || schema['x-kubernetes-embedded-resource'] === true) && metaFields.has(name)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${name}` };
    }
    append(checkSchema(prop, props(path, name), sub, false, compileCel));
  }
  if (schema.not !== undefined) append(checkSchema(schema.not, at(path, 'not'), ssv, false, false));
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const)
    (schema[key] ?? []).forEach((s, i) =>
      append(checkSchema(s, indexPath(at(path, key), i), ssv, false, false)),
    );
  if (schema.items !== undefined && !Array.isArray(schema.items)) {
    const sub =
      schema['x-kubernetes-list-type'] === 'map'
        ? ssv
        : { ...ssv, uncorrelatablePath: ssv.uncorrelatablePath ?? path };
    append(checkSchema(schema.items, at(path, 'items'), sub, false, compileCel));
  }
  out.schema.push(...listTypeChecks(schema, path));
  out.schema.push(...ruleShapeChecks(schema, path));
  // Rules are compiled only where the schema below is sound (otherwise CEL errors are noise).
  if (compileCel && out.schema.length === 0 && (schema['x-kubernetes-validations'] ?? []).length > 0)
    out.cel.push(...celCompileChecks(schema, path, isRoot, ssv));
  return out;
}

/**
 * Validates a CRD version's openAPIV3Schema as kube-apiserver does on CRD create/update.
 * `path` is where the schema sits, e.g. `spec.versions[0].schema.openAPIV3Schema`.
 */
export function checkStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.nullable === true)
    errors.push(fieldError.forbidden(at(path, 'nullable'), 'nullable cannot be true at the root'));
  const structuralErrors = validateStructural(schema, path);
  let compileCel = false;
  if (structuralErrors.length > 0) {
    errors.push(...structuralErrors);
  } else {
    const defaultErrors: FieldError[] = [];
    validateDefaults(schema, path, schema, false, defaultErrors, true);
    errors.push(...defaultErrors);
    compileCel = defaultErrors.length === 0;
  }
  const ssv: SsvOptions = {
    allowDefaults: true,
    disallowDefaultsReason: '',
    insideResourceMeta: false,
    uncorrelatablePath: undefined,
  };
  const result = checkSchema(schema, path, ssv, true, compileCel);
  errors.push(...result.schema, ...result.cel);
  return errors;
}
