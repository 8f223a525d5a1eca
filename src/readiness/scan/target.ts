/** Turns `--to 4.14` / `--kube 1.27` into the Kubernetes minor the scan compares against. */
import { knownOpenShiftVersions, kubernetesVersionOf, minorOf } from '../../api/removals/index.ts';
import type { ScanTarget } from './types.ts';

export type TargetOptions = { readonly targetOpenShift: string } | { readonly targetKubernetes: string };

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

export function resolveTarget(options: TargetOptions): ScanTarget {
  if ('targetKubernetes' in options) {
    const kubernetes = minorOf(options.targetKubernetes);
    if (kubernetes === undefined || !kubernetes.startsWith('1.')) {
      throw new TargetError(
        `Kubernetes version '${options.targetKubernetes}' is not a version: expected 1.MINOR such as 1.27`,
      );
    }
    return { kubernetes };
  }
  const openshift = minorOf(options.targetOpenShift);
  const kubernetes = openshift === undefined ? undefined : kubernetesVersionOf(openshift);
  if (openshift === undefined || kubernetes === undefined) {
    const known = knownOpenShiftVersions();
    throw new TargetError(
      `OpenShift version '${options.targetOpenShift}' is not known: expected one of ${known[0] ?? '?'} … ${known.at(-1) ?? '?'} (e.g. 4.14 or 4.14.13); give the Kubernetes version instead for other releases`,
    );
  }
  return { kubernetes, openshift };
}
