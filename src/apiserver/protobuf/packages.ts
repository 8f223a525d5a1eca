/**
 * The API group versions whose protobuf bodies this server decodes, and lookup of their messages.
 */
import { appsV1 } from './messages/apps-v1.ts';
import { authenticationV1 } from './messages/authentication-v1.ts';
import { authorizationV1 } from './messages/authorization-v1.ts';
import { autoscalingV1 } from './messages/autoscaling-v1.ts';
import { autoscalingV2 } from './messages/autoscaling-v2.ts';
import { batchV1 } from './messages/batch-v1.ts';
import { certificatesV1 } from './messages/certificates-v1.ts';
import { coreV1 } from './messages/core-v1.ts';
import { metaV1 } from './messages/meta-v1.ts';
import { networkingV1 } from './messages/networking-v1.ts';
import { policyV1 } from './messages/policy-v1.ts';
import { rbacV1 } from './messages/rbac-v1.ts';
import { schedulingV1 } from './messages/scheduling-v1.ts';
import { parseFieldSpec, type FieldSpec, type MessageRef, type PackageSchema } from './schema.ts';

const packages: Readonly<Record<string, PackageSchema>> = {
  'meta.v1': metaV1,
  'core.v1': coreV1,
  'apps.v1': appsV1,
  'batch.v1': batchV1,
  'rbac.v1': rbacV1,
  'policy.v1': policyV1,
  'scheduling.v1': schedulingV1,
  'networking.v1': networkingV1,
  'authentication.v1': authenticationV1,
  'authorization.v1': authorizationV1,
  'autoscaling.v1': autoscalingV1,
  'autoscaling.v2': autoscalingV2,
  'certificates.v1': certificatesV1,
};

const packageOfGroupVersion: ReadonlyMap<string, string> = new Map([
  ['v1', 'core.v1'],
  ['apps/v1', 'apps.v1'],
  ['batch/v1', 'batch.v1'],
  ['rbac.authorization.k8s.io/v1', 'rbac.v1'],
  ['policy/v1', 'policy.v1'],
  ['scheduling.k8s.io/v1', 'scheduling.v1'],
  ['networking.k8s.io/v1', 'networking.v1'],
  ['authentication.k8s.io/v1', 'authentication.v1'],
  ['authorization.k8s.io/v1', 'authorization.v1'],
  ['autoscaling/v1', 'autoscaling.v1'],
  ['autoscaling/v2', 'autoscaling.v2'],
  ['certificates.k8s.io/v1', 'certificates.v1'],
  ['meta.k8s.io/v1', 'meta.v1'],
]);

export const decodableGroupVersions: readonly string[] = [...packageOfGroupVersion.keys()];

/**
 * The message for a top-level body, or undefined. metav1.AddToGroupVersion registers the option
 * kinds (DeleteOptions, CreateOptions, …) in every group version, so a DeleteOptions body may
 * arrive as "apps/v1" as well as "meta.k8s.io/v1".
 */
export function messageForKind(apiVersion: string, kind: string): MessageRef | undefined {
  const pkg = packageOfGroupVersion.get(apiVersion);
  if (pkg === undefined) return undefined;
  if (packages[pkg]?.kinds.includes(kind)) return { pkg, name: kind };
  if (metaV1.kinds.includes(kind)) return { pkg: 'meta.v1', name: kind };
  return undefined;
}

export interface MessageSchema {
  readonly fields: ReadonlyMap<number, FieldSpec>;
  readonly listWrapper: boolean;
}

const parsed = new Map<string, MessageSchema>();

export function messageSchema(ref: MessageRef): MessageSchema {
  const key = `${ref.pkg}.${ref.name}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  const pkg = packages[ref.pkg];
  const table = pkg?.messages[ref.name];
  if (!pkg || !table) throw new Error(`protobuf schema: no message ${key}`);
  const fields = new Map<number, FieldSpec>();
  for (const [number, spec] of Object.entries(table))
    fields.set(Number(number), parseFieldSpec(spec, ref.pkg));
  const schema = { fields, listWrapper: pkg.listWrappers?.includes(ref.name) ?? false };
  parsed.set(key, schema);
  return schema;
}

/** Every message reference in every table, for a test that the tables are closed. */
export function allMessageRefs(): MessageRef[] {
  return Object.entries(packages).flatMap(([pkg, schema]) =>
    Object.keys(schema.messages).map((name) => ({ pkg, name })),
  );
}
