/**
 * What happens to an object between the request body and the store: the kind's normalization,
 * for custom resources pruning / defaulting / schema validation, and the metadata rules every
 * kind shares. Unknown fields follow `fieldValidation` (Strict refuses, Warn warns, Ignore drops).
 */
import { apiErrors } from '../errors.ts';
import { childPath, fieldError, type FieldError } from '../field-errors.ts';
import { isJsonObject, type KubeObject } from '../object.ts';
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  pathSegmentErrors,
  qualifiedNameErrors,
} from '../names.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { applyDefaults, prune, pruneNonNullableNulls, validateObject } from '../schema/index.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface AdmissionResult {
  readonly object: KubeObject;
  readonly warnings: readonly string[];
}

const maxAnnotationBytes = 256 * 1024;

function nameErrors(type: ResourceType, name: string): string[] {
  switch (type.nameRule) {
    case 'label':
      return dns1123LabelErrors(name);
    case 'path-segment':
      return pathSegmentErrors(name);
    case 'subdomain':
      return dns1123SubdomainErrors(name);
  }
}

export function validateMetadata(type: ResourceType, object: KubeObject): FieldError[] {
  const meta = object.metadata;
  const errors: FieldError[] = [];
  const name = meta.name ?? '';
  if (name === '') errors.push(fieldError.required('metadata.name', 'name or generateName is required'));
  else errors.push(...nameErrors(type, name).map((e) => fieldError.invalid('metadata.name', name, e)));
  if (type.namespaced && !meta.namespace) errors.push(fieldError.required('metadata.namespace'));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    errors.push(...qualifiedNameErrors(key).map((e) => fieldError.invalid('metadata.labels', key, e)));
    if (typeof value !== 'string')
      errors.push(fieldError.invalid(`metadata.labels`, value, 'label values must be strings'));
    else errors.push(...labelValueErrors(value).map((e) => fieldError.invalid('metadata.labels', value, e)));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    errors.push(
      ...qualifiedNameErrors(key.toLowerCase()).map((e) =>
        fieldError.invalid('metadata.annotations', key, e),
      ),
    );
    if (typeof value !== 'string')
      errors.push(fieldError.invalid('metadata.annotations', value, 'annotation values must be strings'));
    annotationBytes += key.length + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (annotationBytes > maxAnnotationBytes)
    errors.push(fieldError.tooLong('metadata.annotations', maxAnnotationBytes));
  (meta.finalizers ?? []).forEach((f, i) => {
    if (typeof f !== 'string')
      errors.push(fieldError.invalid(`metadata.finalizers[${i}]`, f, 'must be a string'));
    else
      errors.push(
        ...qualifiedNameErrors(f).map((e) => fieldError.invalid(`metadata.finalizers[${i}]`, f, e)),
      );
  });
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    const path = `metadata.ownerReferences[${i}]`;
    if (!isJsonObject(ref)) return;
    for (const required of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (typeof ref[required] !== 'string' || ref[required] === '')
        errors.push(
          fieldError.invalid(childPath(path, required), ref[required] ?? '', `${required} must not be empty`),
        );
    }
  });
  return errors;
}

function pruneCustom(
  type: ResourceType,
  object: KubeObject,
  fieldValidation: FieldValidation,
): { object: KubeObject; warnings: string[] } {
  const schema = type.custom?.schema;
  if (schema === undefined) return { object, warnings: [] };
  const { value, unknownFields } = prune(schema, object);
  const pruned = pruneNonNullableNulls(schema, value) as KubeObject;
  if (unknownFields.length === 0 || fieldValidation === 'Ignore') return { object: pruned, warnings: [] };
  const described = unknownFields.map((f) => `unknown field "${f}"`);
  if (fieldValidation === 'Strict') {
    throw apiErrors.badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${described.join(', ')}`,
    );
  }
  return { object: pruned, warnings: described };
}

/**
 * Runs the kind's admission on a candidate object; throws 422 Invalid / 400 BadRequest.
 * `old` is the stored object for updates.
 */
export function admit(
  type: ResourceType,
  candidate: KubeObject,
  old: KubeObject | undefined,
  fieldValidation: FieldValidation,
): AdmissionResult {
  const { object, warnings } = pruneCustom(type, candidate, fieldValidation);
  let admitted = object;
  const schema = type.custom?.schema;
  if (schema !== undefined) admitted = applyDefaults(schema, admitted) as KubeObject;
  type.normalize?.(admitted, old);
  const errors = validateMetadata(type, admitted);
  if (schema !== undefined) {
    errors.push(...validateObject(schema, admitted, old));
  }
  errors.push(...(type.validate?.(admitted, old) ?? []));
  if (errors.length > 0) {
    throw apiErrors.invalid(type.kind, type.group, admitted.metadata.name ?? '', errors);
  }
  return { object: admitted, warnings };
}
