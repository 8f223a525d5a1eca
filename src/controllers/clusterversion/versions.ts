/**
 * Release versions as the Cluster Version Operator compares them: the "effective minor" is the
 * second dot-separated field, compared as a string for gates and as a number for minor updates;
 * rollbacks are judged by semantic-version order.
 */

export interface HistoryVersion {
  readonly state: string;
  readonly version?: string;
}

/** The cluster's current version: the newest Completed history entry, else the oldest entry's. */
export function currentVersion(history: readonly HistoryVersion[] | undefined): string {
  const entries = history ?? [];
  const completed = entries.find((h) => h.state === 'Completed');
  if (completed !== undefined) return completed.version ?? '';
  return entries[entries.length - 1]?.version ?? '';
}

/** `4.13.30` → `13`; '' when the version has no second field. */
export function effectiveMinor(version: string): string {
  const fields = version.split('.');
  return fields.length < 2 ? '' : (fields[1] ?? '');
}

/** True only when both minors are numbers and the desired one is greater (as upstream). */
export function isMinorUpdate(current: string, desired: string): boolean {
  const from = Number.parseInt(effectiveMinor(current), 10);
  const to = Number.parseInt(effectiveMinor(desired), 10);
  return Number.isFinite(from) && Number.isFinite(to) && to > from;
}

export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly string[];
}

const semVerPattern =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The parsed version, or a message saying why `version` is not a semantic version. */
export function parseSemVer(version: string): SemVer | string {
  const match = semVerPattern.exec(version);
  if (match === null)
    return `${JSON.stringify(version)} is not a semantic version (major.minor.patch[-pre][+build])`;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  // A release sorts after any of its pre-releases.
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      if (Number(x) !== Number(y)) return Number(x) - Number(y);
    } else if (xn !== yn) return xn ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function compareSemVer(a: SemVer, b: SemVer): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

/**
 * The version an OpenShift release image's tag names (`…/ocp-release:4.14.1-x86_64` → `4.14.1`),
 * or undefined for digests and other tags. The lab has no payloads to read the version from.
 */
export function versionFromImage(image: string): string | undefined {
  const at = image.indexOf('@');
  const reference = at >= 0 ? image.slice(0, at) : image;
  const colon = reference.lastIndexOf(':');
  if (colon < 0 || reference.indexOf('/', colon) >= 0) return undefined;
  const tag = reference.slice(colon + 1);
  const match = /^(\d+\.\d+\.\d+(?:-(?:ec|rc|fc)\.\d+)?)(?:-(?:x86_64|aarch64|ppc64le|s390x|multi))?$/.exec(
    tag,
  );
  return match?.[1];
}
