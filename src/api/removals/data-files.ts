/**
 * Reads and validates the removal and version-map JSON files beside this module. A broken data file
 * must stop the process at import with the file and entry at fault, never yield a silently short list.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const minor = Type.String({ pattern: '^1\\.\\d+$' });
const groupVersion = Type.String({ pattern: '^([a-z0-9.-]+/)?v\\d+((alpha|beta)\\d+)?$' });

export const RemovalEntry = Type.Object(
  {
    group: Type.String({ pattern: '^[a-z0-9.-]*$' }),
    version: Type.String({ pattern: '^v\\d+((alpha|beta)\\d+)?$' }),
    resource: Type.String({ pattern: '^[a-z0-9]+$' }),
    kind: Type.String({ pattern: '^[A-Z][A-Za-z0-9]*$' }),
    removedInRelease: minor,
    deprecatedInRelease: Type.Optional(minor),
    replacement: Type.Optional(groupVersion),
    notes: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const RemovalsFile = Type.Object({
  description: Type.Optional(Type.String()),
  sources: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  removals: Type.Array(Type.Unknown()),
});

export const VersionEntry = Type.Object(
  {
    openshift: Type.String({ pattern: '^4\\.\\d+$' }),
    kubernetes: minor,
    eus: Type.Boolean(),
  },
  { additionalProperties: false },
);

const VersionsFile = Type.Object({
  description: Type.Optional(Type.String()),
  sources: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  versions: Type.Array(Type.Unknown()),
});

export type RemovalEntry = Static<typeof RemovalEntry>;
export type VersionEntry = Static<typeof VersionEntry>;

export class DataFileError extends Error {
  override readonly name = 'DataFileError';
}

function describeErrors(schema: TSchema, value: unknown): string {
  return [...Value.Errors(schema, value)]
    .slice(0, 3)
    .map((e) => `${e.path || '/'}: ${e.message}`)
    .join('; ');
}

function check<T extends TSchema>(schema: T, value: unknown, where: string): Static<T> {
  if (!Value.Check(schema, value)) throw new DataFileError(`${where}: ${describeErrors(schema, value)}`);
  return value;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new DataFileError(`${file}: cannot read data file: ${(err as Error).message}`);
  }
}

/** Validates a removals document; exported so tests can feed broken documents. */
export function parseRemovals(doc: unknown, file: string): RemovalEntry[] {
  const top = check(RemovalsFile, doc, file);
  const seen = new Set<string>();
  return top.removals.map((raw, i) => {
    const entry = check(RemovalEntry, raw, `${file}: removals[${i}]`);
    const key = `${entry.resource}.${entry.version}.${entry.group}`;
    if (seen.has(key)) throw new DataFileError(`${file}: removals[${i}]: duplicate entry for ${key}`);
    seen.add(key);
    return entry;
  });
}

export function parseVersions(doc: unknown, file: string): VersionEntry[] {
  const top = check(VersionsFile, doc, file);
  const seen = new Set<string>();
  return top.versions.map((raw, i) => {
    const entry = check(VersionEntry, raw, `${file}: versions[${i}]`);
    if (seen.has(entry.openshift)) {
      throw new DataFileError(`${file}: versions[${i}]: duplicate entry for OpenShift ${entry.openshift}`);
    }
    seen.add(entry.openshift);
    return entry;
  });
}

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

export const removalsFile = here('./kubernetes-api-removals.json');
export const versionsFile = here('./openshift-kubernetes-versions.json');

export function loadRemovals(file = removalsFile): RemovalEntry[] {
  return parseRemovals(readJson(file), file);
}

export function loadVersions(file = versionsFile): VersionEntry[] {
  return parseVersions(readJson(file), file);
}
