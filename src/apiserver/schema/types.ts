/**
 * The apiextensions.k8s.io/v1 JSONSchemaProps shape, as a CustomResourceDefinition carries it in
 * `spec.versions[].schema.openAPIV3Schema`. JSON values (default, enum entries, examples) are `unknown`.
 */

export type ListType = 'atomic' | 'set' | 'map';
export type MapType = 'atomic' | 'granular';

export type ValidationReason =
  'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/** One `x-kubernetes-validations` entry: a CEL rule evaluated against the value at its node. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: ValidationReason;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface ExternalDocumentation {
  description?: string;
  url?: string;
}

export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  default?: unknown;
  example?: unknown;
  nullable?: boolean;

  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  multipleOf?: number;

  maxLength?: number;
  minLength?: number;
  pattern?: string;

  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  items?: JSONSchemaProps;
  additionalItems?: boolean | JSONSchemaProps;

  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: boolean | JSONSchemaProps;
  patternProperties?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  definitions?: Record<string, JSONSchemaProps>;

  enum?: unknown[];
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;

  externalDocs?: ExternalDocumentation;

  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: ListType;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: MapType;
  'x-kubernetes-validations'?: ValidationRule[];
}
