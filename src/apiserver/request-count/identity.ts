/**
 * Who made a request. The server authenticates nobody, so the user is what a client says it acts
 * as (`kubectl --as` sends Impersonate-User), else the user a configured bearer token maps to,
 * else the cluster admin every lab kubeconfig stands for.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const defaultUsername = 'system:admin';

/** Schema limits of PerUserAPIRequestCount. */
const maxUsernameLength = 512;
const maxUserAgentLength = 1024;

export interface RequestUser {
  readonly username: string;
  /** Up to the first space, as OpenShift keeps it: `kubectl/v1.33.1`, not the platform details. */
  readonly userAgent: string;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function requestUser(
  headers: IncomingHttpHeaders,
  tokenUsers?: ReadonlyMap<string, string>,
): RequestUser {
  const impersonated = single(headers['impersonate-user']);
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const username =
    impersonated !== undefined && impersonated !== ''
      ? impersonated
      : ((bearer !== undefined ? tokenUsers?.get(bearer) : undefined) ?? defaultUsername);
  const agent = headers['user-agent'] ?? '';
  const space = agent.indexOf(' ');
  return {
    username: username.slice(0, maxUsernameLength),
    userAgent: (space > 0 ? agent.slice(0, space) : agent).slice(0, maxUserAgentLength),
  };
}

/**
 * OpenShift's `system_client` label of apiserver_request_total: the control-plane components the
 * API-removal alerts leave out, recognised by their user agent's program name; '' for the rest.
 */
const systemClients = new Set([
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cluster-policy-controller',
]);

export function systemClientOf(userAgent: string): string {
  const program = userAgent.split('/', 1)[0] ?? '';
  return systemClients.has(program) ? program : '';
}
