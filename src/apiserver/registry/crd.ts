/**
 * CustomResourceDefinitions: their own validation (what kube-apiserver refuses at create time),
 * their defaults, and the resource types a CRD serves — one per served version, all sharing the
 * storage version's key space.
 */
import { childPath, fieldError, indexPath, type FieldError } from '../field-errors.ts';
import { evaluateJsonPath, jsonPathError } from '../jsonpath.ts';
import { getPath, isJsonObject, type KubeObject } from '../object.ts';
import { checkStructural } from '../schema/index.ts';
import type { JSONSchemaProps } from '../schema/types.ts';
import { dns1123LabelErrors, dns1123SubdomainErrors } from '../names.ts';
import { allVerbs, type Column, type ColumnType, type ResourceType } from './resource-type.ts';

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface PrinterColumn {
  name?: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CrdSpec {
  group?: string;
  names?: CrdNames;
  scope?: string;
  versions?: CrdVersion[];
  conversion?: { strategy?: string };
  preserveUnknownFields?: boolean;
}

function specOf(crd: KubeObject): CrdSpec {
  return isJsonObject(crd.spec) ? crd.spec : {};
}

export function normalizeCrd(crd: KubeObject): void {
  const spec = specOf(crd);
  crd.spec = spec;
  spec.names ??= {};
  if (typeof spec.names.kind === 'string') {
    spec.names.singular ??= spec.names.kind.toLowerCase();
    spec.names.listKind ??= `${spec.names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  for (const version of spec.versions ?? []) {
    version.served ??= true;
    version.storage ??= false;
  }
}

const printerColumnTypes = ['integer', 'number', 'string', 'boolean', 'date'];

function validateVersion(version: CrdVersion, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof version.name !== 'string' || version.name === '')
    errors.push(fieldError.required(childPath(path, 'name')));
  else
    errors.push(
      ...dns1123LabelErrors(version.name).map((e) =>
        fieldError.invalid(childPath(path, 'name'), version.name, e),
      ),
    );
  const schema = version.schema?.openAPIV3Schema;
  const schemaPath = childPath(path, 'schema.openAPIV3Schema');
  if (schema === undefined) errors.push(fieldError.required(schemaPath, 'schemas are required'));
  else errors.push(...checkStructural(schema, schemaPath));
  (version.additionalPrinterColumns ?? []).forEach((c, i) => {
    const columnPath = indexPath(childPath(path, 'additionalPrinterColumns'), i);
    if (!c.name) errors.push(fieldError.required(childPath(columnPath, 'name')));
    if (!c.type || !printerColumnTypes.includes(c.type)) {
      errors.push(fieldError.notSupported(childPath(columnPath, 'type'), c.type ?? '', printerColumnTypes));
    }
    if (!c.jsonPath) errors.push(fieldError.required(childPath(columnPath, 'jsonPath')));
    else {
      const problem = jsonPathError(c.jsonPath);
      if (problem) errors.push(fieldError.invalid(childPath(columnPath, 'jsonPath'), c.jsonPath, problem));
    }
  });
  const scale = version.subresources?.scale;
  if (scale) {
    const scalePath = childPath(path, 'subresources.scale');
    if (!scale.specReplicasPath) errors.push(fieldError.required(childPath(scalePath, 'specReplicasPath')));
    if (!scale.statusReplicasPath)
      errors.push(fieldError.required(childPath(scalePath, 'statusReplicasPath')));
  }
  return errors;
}

export function validateCrd(crd: KubeObject, old: KubeObject | undefined): FieldError[] {
  const spec = specOf(crd);
  const errors: FieldError[] = [];
  const group = spec.group ?? '';
  const names = spec.names ?? {};
  if (group === '') errors.push(fieldError.required('spec.group'));
  else if (!group.includes('.'))
    errors.push(fieldError.invalid('spec.group', group, 'should be a domain with at least one dot'));
  else errors.push(...dns1123SubdomainErrors(group).map((e) => fieldError.invalid('spec.group', group, e)));
  if (!names.plural) errors.push(fieldError.required('spec.names.plural'));
  else
    errors.push(
      ...dns1123LabelErrors(names.plural).map((e) =>
        fieldError.invalid('spec.names.plural', names.plural, e),
      ),
    );
  if (!names.kind) errors.push(fieldError.required('spec.names.kind'));
  if (names.plural && group && crd.metadata.name !== `${names.plural}.${group}`) {
    errors.push(
      fieldError.invalid('metadata.name', crd.metadata.name, `must be spec.names.plural+"."+spec.group`),
    );
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errors.push(fieldError.notSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']));
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0)
    errors.push(
      fieldError.invalid(
        'spec.versions',
        versions,
        'must have exactly one version marked as storage version',
      ),
    );
  const storageCount = versions.filter((v) => v.storage === true).length;
  if (versions.length > 0 && storageCount !== 1) {
    errors.push(
      fieldError.invalid(
        'spec.versions',
        versions.map((v) => v.name),
        'must have exactly one version marked as storage version',
      ),
    );
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const path = indexPath('spec.versions', i);
    if (v.name !== undefined && seen.has(v.name))
      errors.push(fieldError.duplicate(childPath(path, 'name'), v.name));
    if (v.name !== undefined) seen.add(v.name);
    errors.push(...validateVersion(v, path));
  });
  if (spec.conversion?.strategy !== undefined && spec.conversion.strategy !== 'None') {
    errors.push(fieldError.notSupported('spec.conversion.strategy', spec.conversion.strategy, ['None']));
  }
  if (old !== undefined) {
    const oldSpec = specOf(old);
    if (oldSpec.group !== spec.group)
      errors.push(fieldError.invalid('spec.group', spec.group, 'field is immutable'));
    if (oldSpec.names?.plural !== names.plural)
      errors.push(fieldError.invalid('spec.names.plural', names.plural, 'field is immutable'));
    if (oldSpec.scope !== spec.scope)
      errors.push(fieldError.invalid('spec.scope', spec.scope, 'field is immutable'));
  }
  return errors;
}

function splitPath(path: string | undefined): string[] {
  return (path ?? '')
    .replace(/^\./, '')
    .split('.')
    .filter((s) => s !== '');
}

function printerColumn(c: PrinterColumn): Column {
  const path = c.jsonPath ?? '';
  return {
    name: c.name ?? '',
    type: (printerColumnTypes.includes(c.type ?? '') ? c.type : 'string') as ColumnType,
    ...(c.format ? { format: c.format } : {}),
    description: c.description ?? '',
    priority: c.priority ?? 0,
    cell: (o) => {
      const values = evaluateJsonPath(o, path);
      if (values.length === 0) return c.type === 'date' ? undefined : null;
      const first = values[0];
      return typeof first === 'object' && first !== null ? JSON.stringify(first) : first;
    },
  };
}

const crdAgeColumn: Column = {
  name: 'Age',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o) => o.metadata.creationTimestamp,
};

/** The resource types a CRD serves (only once it is Established, which the server does at once). */
export function resourceTypesOf(crd: KubeObject): ResourceType[] {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const versions = spec.versions ?? [];
  const storage = versions.find((v) => v.storage === true)?.name ?? versions[0]?.name ?? '';
  return versions
    .filter((v) => v.served !== false)
    .map((v): ResourceType => {
      const scale = v.subresources?.scale;
      return {
        group: spec.group ?? '',
        version: v.name ?? '',
        resource: names.plural ?? '',
        kind: names.kind ?? '',
        listKind: names.listKind ?? `${names.kind ?? ''}List`,
        singular: names.singular ?? (names.kind ?? '').toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: allVerbs,
        hasStatus: v.subresources?.status !== undefined,
        ...(scale
          ? {
              scale: {
                specReplicasPath: splitPath(scale.specReplicasPath),
                statusReplicasPath: splitPath(scale.statusReplicasPath),
                ...(scale.labelSelectorPath ? { labelSelectorPath: splitPath(scale.labelSelectorPath) } : {}),
              },
            }
          : {}),
        columns:
          v.additionalPrinterColumns && v.additionalPrinterColumns.length > 0
            ? v.additionalPrinterColumns.map(printerColumn)
            : [crdAgeColumn],
        tracksGeneration: true,
        storageVersion: storage,
        custom: { crdName: crd.metadata.name ?? '', schema: v.schema?.openAPIV3Schema },
        nameRule: 'subdomain',
      };
    });
}

export function acceptedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = specOf(crd);
  const existing = getPath(crd, ['status', 'conditions']);
  const previous = Array.isArray(existing) ? existing.filter(isJsonObject) : [];
  const condition = (type: string, reason: string, message: string): Record<string, unknown> => {
    const before = previous.find((c) => c.type === type && c.status === 'True');
    return { type, status: 'True', lastTransitionTime: before?.lastTransitionTime ?? now, reason, message };
  };
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: { ...spec.names },
    storedVersions: (spec.versions ?? []).filter((v) => v.storage === true).map((v) => v.name),
  };
}

export const crdResourceType: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  verbs: allVerbs,
  hasStatus: true,
  columns: [
    { ...crdAgeColumn, name: 'Created At', type: 'string', cell: (o) => o.metadata.creationTimestamp },
  ],
  tracksGeneration: true,
  storageVersion: 'v1',
  nameRule: 'subdomain',
  normalize: (o, old) => {
    normalizeCrd(o);
    if (old === undefined && o.metadata.deletionTimestamp === undefined) {
      const finalizers = o.metadata.finalizers ?? [];
      if (!finalizers.includes('customresourcecleanup.apiextensions.k8s.io')) {
        o.metadata.finalizers = [...finalizers, 'customresourcecleanup.apiextensions.k8s.io'];
      }
    }
    // Names never conflict in a logical cluster of lcm's, so a CRD is accepted and established at once.
    o.status = acceptedStatus(o, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  },
  validate: (o, old) => validateCrd(o, old),
};
