/** Every kind lcm serves and reconciles, by API group. */
import { kinds as apiserverKinds } from './apiserver/index.ts';
import { kinds as clusterKinds } from './cluster/index.ts';
import { kinds as configKinds } from './config/index.ts';
import { kinds as hypershiftKinds } from './hypershift/index.ts';
import type { KindDefinition } from './kind.ts';
import { kinds as lcaKinds } from './lca/index.ts';
import { kinds as machineConfigurationKinds } from './machineconfiguration/index.ts';
import { kinds as oadpKinds } from './oadp/index.ts';
import { kinds as operatorsKinds } from './operators/index.ts';
import { kinds as policyKinds } from './policy/index.ts';
import { kinds as ranKinds } from './ran/index.ts';
import { kinds as tunedKinds } from './tuned/index.ts';
import { kinds as veleroKinds } from './velero/index.ts';

export const allKinds: readonly KindDefinition[] = [
  ...lcaKinds,
  ...veleroKinds,
  ...oadpKinds,
  ...configKinds,
  ...apiserverKinds,
  ...machineConfigurationKinds,
  ...ranKinds,
  ...hypershiftKinds,
  ...tunedKinds,
  ...policyKinds,
  ...clusterKinds,
  ...operatorsKinds,
];

export function kindFor(apiVersion: string, kind: string): KindDefinition | undefined {
  const [group, version] = apiVersion.split('/');
  return allKinds.find(
    (k) => k.group === group && k.kind === kind && k.versions.some((v) => v.name === version),
  );
}
