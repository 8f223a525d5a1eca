/**
 * The TLS Secrets and CA bundle ConfigMaps a simulated single-node cluster is installed with: real
 * certificates and keys, named and shaped after the ones OpenShift keeps in etcd, signed by three
 * distinct signers, so that image-based upgrade's certificate regeneration has the real thing to
 * work on. Upstream has more signers (one per kube-apiserver client audience, an ingress operator
 * CA); the lab folds the client signers into one and lets the load-balancer signer serve ingress.
 */
import type { KubeObject } from '../client/object.ts';
import type { CertificateAndKey, CertificateUsage } from '../host/x509.ts';
import { createCertificateAuthority, issueCertificate } from '../host/x509.ts';

export interface SeedClusterIdentity {
  readonly clusterName: string;
  readonly baseDomain: string;
  readonly hostname: string;
  readonly nodeIP: string;
  /** When the certificates' validity starts; now by default. */
  readonly now?: Date;
}

const caValidityDays = 3650;
const servingValidityDays = 30;
const clientValidityDays = 365;

/** Where OpenShift's installer records a serving certificate's names. */
const hostnamesAnnotation = 'auth.openshift.io/certificate-hostnames';

function tlsSecret(
  namespace: string,
  name: string,
  pair: CertificateAndKey,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, ...(annotations === undefined ? {} : { annotations }) },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(pair.certPem).toString('base64'),
      'tls.key': Buffer.from(pair.keyPem).toString('base64'),
    },
  };
}

function caBundle(
  namespace: string,
  name: string,
  dataKey: 'ca-bundle.crt' | 'ca.crt',
  pems: string[],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
    data: { [dataKey]: pems.join('') },
  };
}

export function seedClusterCertificates(identity: SeedClusterIdentity): KubeObject[] {
  const { hostname, nodeIP } = identity;
  const clusterDomain = `${identity.clusterName}.${identity.baseDomain}`;
  const notBefore = identity.now ?? new Date();
  const signer = (commonName: string) =>
    createCertificateAuthority({
      commonName,
      organizationalUnit: 'openshift',
      validityDays: caValidityDays,
      notBefore,
    });
  const lbSigner = signer('kube-apiserver-lb-signer');
  const etcdSigner = signer('etcd-signer');
  const clientSigner = signer('admin-kubeconfig-signer');

  const issue = (
    ca: CertificateAndKey,
    commonName: string,
    usage: CertificateUsage,
    names: { organizations?: string[]; dnsNames?: string[]; ipAddresses?: string[] } = {},
  ) =>
    issueCertificate({
      ca,
      commonName,
      usage,
      validityDays: usage === 'client' ? clientValidityDays : servingValidityDays,
      notBefore,
      ...names,
    });
  const hostnames = (names: { dnsNames?: string[]; ipAddresses?: string[] }) => ({
    [hostnamesAnnotation]: [...(names.dnsNames ?? []), ...(names.ipAddresses ?? [])].join(','),
  });

  const apiNames = { dnsNames: [`api.${clusterDomain}`, `api-int.${clusterDomain}`], ipAddresses: [nodeIP] };
  const routerNames = { dnsNames: [`*.apps.${clusterDomain}`] };
  const etcdNames = {
    dnsNames: [hostname, 'localhost', 'etcd.kube-system.svc', 'etcd.openshift-etcd.svc'],
    ipAddresses: [nodeIP, '127.0.0.1', '::1'],
  };
  const etcdPeerNames = { dnsNames: [hostname, 'localhost'], ipAddresses: [nodeIP] };

  return [
    tlsSecret('openshift-kube-apiserver-operator', 'loadbalancer-serving-signer', lbSigner),
    tlsSecret('openshift-etcd', 'etcd-signer', etcdSigner),
    tlsSecret('openshift-kube-apiserver-operator', 'admin-kubeconfig-signer', clientSigner),
    tlsSecret(
      'openshift-kube-apiserver',
      'serving-cert',
      issue(lbSigner, `api.${clusterDomain}`, 'server', apiNames),
      hostnames(apiNames),
    ),
    tlsSecret(
      'openshift-ingress',
      'router-certs-default',
      issue(lbSigner, `*.apps.${clusterDomain}`, 'server', routerNames),
      hostnames(routerNames),
    ),
    tlsSecret(
      'openshift-kube-apiserver',
      'kubelet-client',
      issue(clientSigner, 'system:kube-apiserver', 'client', { organizations: ['kube-master'] }),
    ),
    tlsSecret(
      'openshift-etcd',
      `etcd-serving-${hostname}`,
      issue(etcdSigner, 'system:etcd-server', 'both', {
        organizations: ['system:etcd-servers'],
        ...etcdNames,
      }),
      hostnames(etcdNames),
    ),
    tlsSecret(
      'openshift-etcd',
      `etcd-peer-${hostname}`,
      issue(etcdSigner, 'system:etcd-peer', 'both', {
        organizations: ['system:etcd-peers'],
        ...etcdPeerNames,
      }),
      hostnames(etcdPeerNames),
    ),
    caBundle('openshift-config-managed', 'kube-apiserver-server-ca', 'ca-bundle.crt', [lbSigner.certPem]),
    caBundle('openshift-config-managed', 'default-ingress-cert', 'ca-bundle.crt', [lbSigner.certPem]),
    caBundle('openshift-config', 'admin-kubeconfig-client-ca', 'ca-bundle.crt', [clientSigner.certPem]),
    caBundle('openshift-config', 'etcd-ca-bundle', 'ca-bundle.crt', [etcdSigner.certPem]),
    caBundle('openshift-etcd', 'etcd-ca-bundle', 'ca-bundle.crt', [etcdSigner.certPem]),
    caBundle('default', 'kube-root-ca.crt', 'ca.crt', [lbSigner.certPem]),
  ];
}
