/** oadp.openshift.io: the OADP operator's DataProtectionApplication. */
import type { KindDefinition } from '../kind.ts';
import { dataProtectionApplicationKind } from './data-protection-application.ts';

export * as oadp from './constants.ts';
export * from './data-protection-application.ts';

export const kinds: readonly KindDefinition[] = [dataProtectionApplicationKind];
