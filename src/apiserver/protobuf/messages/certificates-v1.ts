// Transcribed mechanically from k8s.io/api/certificates/v1: field numbers and types from generated.proto, JSON
// names, inline embedding and zero-value handling from the Go struct tags. Only the messages
// reachable from the kinds below are listed. Field syntax: see ../schema.ts.
import type { PackageSchema } from '../schema.ts';

export const certificatesV1: PackageSchema = {
  kinds: ['CertificateSigningRequest', 'ClusterTrustBundle', 'PodCertificateRequest'],
  listWrappers: ['ExtraValue'],
  messages: {
    CertificateSigningRequest: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'spec CertificateSigningRequestSpec',
      3: 'status CertificateSigningRequestStatus',
    },
    CertificateSigningRequestCondition: {
      1: 'type *string',
      6: 'status *string',
      2: 'reason string',
      3: 'message string',
      4: 'lastUpdateTime Time',
      5: 'lastTransitionTime Time',
    },
    CertificateSigningRequestSpec: {
      1: 'request *bytes',
      7: 'signerName *string',
      8: 'expirationSeconds *int32',
      5: 'usages []string',
      2: 'username string',
      3: 'uid string',
      4: 'groups []string',
      6: 'extra map[string]ExtraValue',
    },
    CertificateSigningRequestStatus: {
      1: 'conditions []CertificateSigningRequestCondition',
      2: 'certificate bytes',
    },
    ClusterTrustBundle: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'spec ClusterTrustBundleSpec',
    },
    ClusterTrustBundleSpec: {
      1: 'signerName string',
      2: 'trustBundle *string',
    },
    ExtraValue: {
      1: 'items []string',
    },
    PodCertificateRequest: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'spec PodCertificateRequestSpec',
      3: 'status PodCertificateRequestStatus',
    },
    PodCertificateRequestSpec: {
      1: 'signerName *string',
      2: 'podName *string',
      3: 'podUID *string',
      4: 'serviceAccountName *string',
      5: 'serviceAccountUID *string',
      6: 'nodeName *string',
      7: 'nodeUID *string',
      8: 'maxExpirationSeconds *int32',
      12: 'stubPKCS10Request *bytes',
      11: 'unverifiedUserAnnotations map[string]string',
    },
    PodCertificateRequestStatus: {
      1: 'conditions []meta.v1.Condition',
      2: 'certificateChain string',
      4: 'notBefore Time',
      5: 'beginRefreshAt Time',
      6: 'notAfter Time',
    },
  },
};
