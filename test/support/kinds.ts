/**
 * Validates an object the way the API server will once the kind's CRD is installed: structural
 * check of the generated CRD, strict unknown-field check (pruning), defaults, schema validation.
 */
import { formatFieldError } from '../../src/apiserver/field-errors.ts';
import { validateCrd } from '../../src/apiserver/registry/crd.ts';
import {
  applyDefaults,
  prune,
  validateObject,
  type JSONSchemaProps,
} from '../../src/apiserver/schema/index.ts';
import type { KubeObject } from '../../src/apiserver/object.ts';
import { crdOf, type KindDefinition } from '../../src/api/kind.ts';

export function crdProblems(definition: KindDefinition): string[] {
  const crd = crdOf(definition) as unknown as KubeObject;
  return validateCrd(crd, undefined).map(formatFieldError);
}

/** Problems with `object` as the server would report them (empty: accepted as-is). */
export function objectProblems(definition: KindDefinition, object: Record<string, unknown>): string[] {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const version = apiVersion.split('/')[1] ?? '';
  const crd = crdOf(definition) as unknown as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: JSONSchemaProps } }[] };
  };
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
  if (schema === undefined) return [`${definition.kind}: version ${version} is not served`];
  const { value, unknownFields } = prune(schema, object);
  const problems = unknownFields.map((f) => `unknown field "${f}"`);
  const defaulted = applyDefaults(schema, value);
  problems.push(...validateObject(schema, defaulted, undefined).map(formatFieldError));
  return problems;
}
