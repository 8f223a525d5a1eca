/** Kubeconfigs for the embedded server: one context per logical cluster. */
import { stringify } from 'yaml';

export interface ClusterEndpoint {
  /** Context and cluster name in the kubeconfig. */
  readonly name: string;
  readonly server: string;
}

export function kubeconfigFor(endpoints: readonly ClusterEndpoint[], currentContext: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // Plain-HTTP loopback servers: client-node refuses http:// unless TLS verification is marked off.
    clusters: endpoints.map((e) => ({
      name: e.name,
      cluster: {
        server: e.server,
        ...(e.server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}),
      },
    })),
    users: [{ name: 'lcm-admin', user: {} }],
    contexts: endpoints.map((e) => ({
      name: e.name,
      context: { cluster: e.name, user: 'lcm-admin', namespace: 'default' },
    })),
    'current-context': currentContext,
  });
}

/** The hub at the server's root, every other logical cluster at `/clusters/<name>`. */
export function labKubeconfig(serverUrl: string, hubName: string, clusters: readonly string[]): string {
  const endpoints = [
    { name: hubName, server: serverUrl },
    ...clusters.filter((c) => c !== hubName).map((c) => ({ name: c, server: `${serverUrl}/clusters/${c}` })),
  ];
  return kubeconfigFor(endpoints, hubName);
}
