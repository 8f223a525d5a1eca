/**
 * Semantic versions as the CVO and Cincinnati read them (Go's blang/semver `Parse`): strict
 * MAJOR.MINOR.PATCH, optional `-prerelease` and `+build`, no leading `v`, no leading zeros.
 */

export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated prerelease identifiers; numeric ones as numbers (they compare numerically). */
  readonly prerelease: readonly (string | number)[];
  readonly build: readonly string[];
}

const numeric = /^(0|[1-9][0-9]*)$/;
const identifier = /^[0-9A-Za-z-]+$/;

/** Why `text` is not a semantic version, or undefined when it is one. */
export function versionProblem(text: string): string | undefined {
  const plus = text.indexOf('+');
  const core = plus === -1 ? text : text.slice(0, plus);
  const build = plus === -1 ? undefined : text.slice(plus + 1);
  const dash = core.indexOf('-');
  const release = dash === -1 ? core : core.slice(0, dash);
  const prerelease = dash === -1 ? undefined : core.slice(dash + 1);
  const parts = release.split('.');
  if (parts.length !== 3)
    return `${JSON.stringify(text)} is not a semantic version (want MAJOR.MINOR.PATCH, e.g. 4.14.13)`;
  for (const part of parts) {
    if (!numeric.test(part))
      return `${JSON.stringify(text)} is not a semantic version: ${JSON.stringify(part)} is not a number without leading zeros`;
  }
  for (const id of prerelease === undefined ? [] : prerelease.split('.')) {
    if (!identifier.test(id) || (/^[0-9]+$/.test(id) && !numeric.test(id)))
      return `${JSON.stringify(text)} is not a semantic version: invalid prerelease identifier ${JSON.stringify(id)}`;
  }
  for (const id of build === undefined ? [] : build.split('.')) {
    if (!identifier.test(id))
      return `${JSON.stringify(text)} is not a semantic version: invalid build identifier ${JSON.stringify(id)}`;
  }
  return undefined;
}

export function parseVersion(text: string): Semver | undefined {
  if (versionProblem(text) !== undefined) return undefined;
  const [withoutBuild = '', build] = text.split('+', 2);
  const dash = withoutBuild.indexOf('-');
  const release = dash === -1 ? withoutBuild : withoutBuild.slice(0, dash);
  const [major = 0, minor = 0, patch = 0] = release.split('.').map(Number);
  return {
    major,
    minor,
    patch,
    prerelease:
      dash === -1
        ? []
        : withoutBuild
            .slice(dash + 1)
            .split('.')
            .map((id) => (numeric.test(id) ? Number(id) : id)),
    build: build === undefined ? [] : build.split('.'),
  };
}

function mustParse(text: string): Semver {
  const parsed = parseVersion(text);
  if (parsed === undefined) throw new Error(versionProblem(text));
  return parsed;
}

function comparePrerelease(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  // A release sorts after its prereleases (4.16.0-rc.1 < 4.16.0).
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Semver precedence (build metadata ignored); throws on a string that is not a version. */
export function compareVersions(a: string, b: string): number {
  const x = mustParse(a);
  const y = mustParse(b);
  return (
    x.major - y.major ||
    x.minor - y.minor ||
    x.patch - y.patch ||
    comparePrerelease(x.prerelease, y.prerelease)
  );
}

/** 4.14.13 → "4.14". */
export function minorOf(version: string): string {
  const v = mustParse(version);
  return `${v.major}.${v.minor}`;
}

export type UpdateKind = 'patch' | 'minor' | 'major';

/** A z-stream (patch) update stays within one minor; a minor update needs admin-acks and Upgradeable=True. */
export function updateKind(from: string, to: string): UpdateKind {
  const a = mustParse(from);
  const b = mustParse(to);
  if (a.major !== b.major) return 'major';
  return a.minor === b.minor ? 'patch' : 'minor';
}

/** OpenShift 4 gives Extended Update Support to even minors (4.12, 4.14, 4.16…). */
export function isEusMinor(version: string): boolean {
  const v = mustParse(version);
  return v.major === 4 && v.minor % 2 === 0;
}
