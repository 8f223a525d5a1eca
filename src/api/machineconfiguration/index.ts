/** machineconfiguration.openshift.io: MachineConfig and MachineConfigPool. */
import type { KindDefinition } from '../kind.ts';
import { machineConfigPoolKind } from './machine-config-pool.ts';
import { machineConfigKind } from './machine-config.ts';

export * as machineconfiguration from './constants.ts';
export * from './machine-config.ts';
export * from './machine-config-pool.ts';

export const kinds: readonly KindDefinition[] = [machineConfigKind, machineConfigPoolKind];
