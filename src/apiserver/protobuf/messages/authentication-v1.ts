// Transcribed mechanically from k8s.io/api/authentication/v1: field numbers and types from generated.proto, JSON
// names, inline embedding and zero-value handling from the Go struct tags. Only the messages
// reachable from the kinds below are listed. Field syntax: see ../schema.ts.
import type { PackageSchema } from '../schema.ts';

export const authenticationV1: PackageSchema = {
  kinds: ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  listWrappers: ['AttestationValue', 'ExtraValue'],
  messages: {
    AttestationValue: {
      1: 'items []string',
    },
    BoundObjectReference: {
      1: 'kind string',
      2: 'apiVersion string',
      3: 'name string',
      4: 'uid string',
    },
    ExtraValue: {
      1: 'items []string',
    },
    SelfSubjectReview: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'status SelfSubjectReviewStatus',
    },
    SelfSubjectReviewStatus: {
      1: 'userInfo UserInfo',
    },
    TokenRequest: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'spec TokenRequestSpec',
      3: 'status TokenRequestStatus',
    },
    TokenRequestSpec: {
      1: 'audiences []string',
      4: 'expirationSeconds *int64',
      3: 'boundObjectRef BoundObjectReference',
      5: 'attestations map[string]AttestationValue',
    },
    TokenRequestStatus: {
      1: 'token *string',
      2: 'expirationTimestamp Time',
    },
    TokenReview: {
      1: 'metadata meta.v1.ObjectMeta',
      2: 'spec TokenReviewSpec',
      3: 'status TokenReviewStatus',
    },
    TokenReviewSpec: {
      1: 'token string',
      2: 'audiences []string',
    },
    TokenReviewStatus: {
      1: 'authenticated bool',
      2: 'user UserInfo',
      4: 'audiences []string',
      3: 'error string',
    },
    UserInfo: {
      1: 'username string',
      2: 'uid string',
      3: 'groups []string',
      4: 'extra map[string]ExtraValue',
    },
  },
};
