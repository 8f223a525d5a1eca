/** The three PATCH content types of the Kubernetes API, and the errors they report. */
export { PatchError } from './errors.ts';
export { applyMergePatch } from './merge-patch.ts';
export { applyJsonPatch } from './json-patch.ts';
export { applyStrategicMergePatch } from './strategic-merge-patch.ts';
export { builtinPatchMeta, type ListMergeMeta, type PatchMeta, type PatchStrategy } from './patch-meta.ts';
