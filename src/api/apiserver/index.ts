/** apiserver.openshift.io: APIRequestCount. */
import type { KindDefinition } from '../kind.ts';
import { apiRequestCountKind } from './api-request-count.ts';

export * as apiserver from './constants.ts';
export * from './api-request-count.ts';

export const kinds: readonly KindDefinition[] = [apiRequestCountKind];
