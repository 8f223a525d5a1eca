/**
 * APIRequestCount names: `<resource>.<version>.<group>` (core group: `<resource>.<version>`). Only
 * names that can be stored (RFC 1123 subdomains) and read back unambiguously are counted.
 */
import { apiRequestCountName } from '../../api/apiserver/constants.ts';

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

const segmentRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const groupRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The object name counting a request to this resource, or undefined when none can hold it. */
export function countName(gvr: GroupVersionResource): string | undefined {
  if (!segmentRe.test(gvr.resource) || !segmentRe.test(gvr.version)) return undefined;
  if (gvr.group !== '' && !groupRe.test(gvr.group)) return undefined;
  const name = apiRequestCountName(gvr.resource, gvr.version, gvr.group);
  return name.length <= 253 ? name : undefined;
}

/** Reverses countName; undefined for names no request could have produced. */
export function parseCountName(name: string): GroupVersionResource | undefined {
  const [resource, version, ...group] = name.split('.');
  if (resource === undefined || version === undefined) return undefined;
  const gvr = { resource, version, group: group.join('.') };
  return countName(gvr) === name ? gvr : undefined;
}
