/** CRD structural schemas: CRD-time checks, and validation, defaulting and pruning of custom resources. */

export type {
  JSONSchemaProps,
  ListType,
  MapType,
  ValidationReason,
  ValidationRule,
  ExternalDocumentation,
} from './types.ts';
export { checkStructural } from './structural.ts';
export { validateObject, isBlockingError, rulesNotCheckedError } from './validate.ts';
export { validateOpenApi, type OpenApiValidationOptions } from './openapi-validation.ts';
export { validateListTypes } from './list-types.ts';
export { validateEmbeddedResources } from './embedded.ts';
export {
  compileRules,
  validateRules,
  resolveRuleFieldPath,
  schemaHasRules,
  type CompiledRule,
  type RuleValidationOptions,
} from './validation-rules.ts';
export { applyDefaults, pruneNonNullableNulls } from './defaulting.ts';
export { prune, type PruneOptions } from './pruning.ts';
export { checkFormat, isSupportedFormat } from './formats.ts';
export * as cel from './cel/index.ts';
