/** The update asked about: patch (same minor) or minor, and the OpenShift minors it crosses. */
import { compareMinor, minorOf } from '../../../api/removals/index.ts';

/** A minor update needs admin acks and Upgradeable=True; a patch update needs neither. */
export function isMinorUpdate(current: string, target: string): boolean {
  return minorOf(current) !== undefined && compareMinor(current, target) !== 0;
}

export function isKnownVersion(version: string): boolean {
  return minorOf(version) !== undefined;
}

/** `target` is at least `minor` (e.g. 4.14), comparing major.minor only. */
export function atLeastMinor(target: string, minor: string): boolean {
  return compareMinor(target, minor) >= 0;
}
