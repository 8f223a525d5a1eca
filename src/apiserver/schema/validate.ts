/**
 * Validation of a custom resource against its CRD version's structural schema, in the order the
 * apiextensions-apiserver's customResourceStrategy applies it: OpenAPI value validation (with
 * ratcheting on update), embedded resources, list-type set/map uniqueness, then the
 * x-kubernetes-validations rules — skipped, with a notice, when an earlier error makes the object
 * too malformed for them.
 */

import { fieldError, type FieldError } from '../field-errors.ts';
import { validateEmbeddedResources } from './embedded.ts';
import { validateListTypes } from './list-types.ts';
import { validateOpenApi } from './openapi-validation.ts';
import type { JSONSchemaProps } from './types.ts';
import { schemaHasRules, validateRules } from './validation-rules.ts';

const blockingTypes = new Set<FieldError['type']>([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/** The error Kubernetes adds in place of CEL results when the object failed basic validation. */
export const rulesNotCheckedError: FieldError = fieldError.invalid(
  '<nil>',
  'null',
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
);

/** Whether an error stops x-kubernetes-validations from running (hasBlockingErr). */
export function isBlockingError(error: FieldError): boolean {
  return blockingTypes.has(error.type);
}

/**
 * Validates a CR (or any value, given `rootPath`) against `schema`. `old` is the stored object on
 * update, undefined on create. The root's metadata is checked only against what the schema says
 * about it (name/generateName restrictions); ObjectMeta validation is the caller's.
 */
export function validateObject(
  schema: JSONSchemaProps,
  value: unknown,
  old: unknown,
  rootPath = '',
): FieldError[] {
  const isResourceRoot = rootPath === '';
  const errors = validateOpenApi(schema, value, old, { rootPath, isResourceRoot });
  errors.push(...validateEmbeddedResources(schema, value, rootPath));
  // Lists that already broke the set/map invariant before the update are left alone.
  if (old === undefined || validateListTypes(schema, old, rootPath).length === 0)
    errors.push(...validateListTypes(schema, value, rootPath));
  if (schemaHasRules(schema)) {
    if (errors.some(isBlockingError)) errors.push(rulesNotCheckedError);
    else errors.push(...validateRules(schema, value, old, { rootPath, isResourceRoot }));
  }
  return errors;
}
