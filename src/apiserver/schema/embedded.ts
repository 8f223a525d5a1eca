/**
 * Checks of objects marked x-kubernetes-embedded-resource inside a CR (apiextensions'
 * objectmeta.Validate): each must carry a well-formed apiVersion and kind. The CR's own type and
 * object metadata are the caller's to validate.
 */

import { childPath, fieldError, indexPath, type FieldError } from '../field-errors.ts';
import { isJsonObject } from './json.ts';
import type { JSONSchemaProps } from './types.ts';

const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function kindErrors(kind: string): string[] {
  const label = kind.toLowerCase();
  const errors: string[] = [];
  if (label.length > 63) errors.push('must be no more than 63 characters');
  if (!dns1035Label.test(label))
    errors.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  return errors;
}

function validateEmbeddedResource(path: string, value: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (!Object.hasOwn(value, 'apiVersion'))
    errors.push(fieldError.required(childPath(path, 'apiVersion'), 'must not be empty'));
  if (!Object.hasOwn(value, 'kind'))
    errors.push(fieldError.required(childPath(path, 'kind'), 'must not be empty'));
  for (const [k, v] of Object.entries(value)) {
    const p = childPath(path, k);
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errors.push(fieldError.invalid(p, v, 'must be a string'));
      else if (v === '') errors.push(fieldError.invalid(p, v, 'must not be empty'));
      else if (v.split('/').length > 2)
        errors.push(fieldError.invalid(p, v, `unexpected GroupVersion string: ${v}`));
    } else if (k === 'kind') {
      if (typeof v !== 'string') errors.push(fieldError.invalid(p, v, 'must be a string'));
      else if (v === '') errors.push(fieldError.invalid(p, v, 'must not be empty'));
      else {
        const problems = kindErrors(v);
        if (problems.length > 0)
          errors.push(
            fieldError.invalid(
              p,
              v,
              `may have mixed case, but should otherwise match: ${problems.join(',')}`,
            ),
          );
      }
    } else if (k === 'metadata' && !isJsonObject(v) && v !== null) {
      errors.push(fieldError.invalid(p, v, 'must be an object'));
    }
  }
  return errors;
}

function walk(path: string, value: unknown, schema: JSONSchemaProps | undefined): FieldError[] {
  if (schema === undefined) return [];
  const errors: FieldError[] = [];
  if (isJsonObject(value)) {
    if (schema['x-kubernetes-embedded-resource'] === true)
      errors.push(...validateEmbeddedResource(path, value));
    const ap = schema.additionalProperties;
    for (const [k, v] of Object.entries(value)) {
      const prop = schema.properties?.[k];
      if (prop !== undefined) errors.push(...walk(childPath(path, k), v, prop));
      else if (typeof ap === 'object') errors.push(...walk(indexPath(path, k), v, ap));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => errors.push(...walk(indexPath(path, i), item, schema.items)));
  }
  return errors;
}

/** Errors of every embedded resource below the root (the root itself is not checked here). */
export function validateEmbeddedResources(schema: JSONSchemaProps, value: unknown, path = ''): FieldError[] {
  if (!isJsonObject(value)) return [];
  const errors: FieldError[] = [];
  const ap = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if (prop !== undefined) errors.push(...walk(childPath(path, k), v, prop));
    else if (typeof ap === 'object') errors.push(...walk(indexPath(path, k), v, ap));
  }
  return errors;
}
