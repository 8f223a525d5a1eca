/**
 * The objects an image-based upgrade rehearsal puts on a lab target (the seed's IBU example needs
 * a pull secret, an OADP ConfigMap with the Backup/Restore, an extra-manifests ConfigMap and a
 * backup storage location): shared by `lcm demo` and the acceptance suite.
 */
import { sampleAppClusterRole } from './sample-app.ts';

/** The seed's ImageBasedUpgrade example (seed 000), its placeholders filled for the lab. */
export function ibuManifest(registry: string, version: string): string {
  return `apiVersion: lca.openshift.io/v1
kind: ImageBasedUpgrade
metadata:
  name: upgrade
spec:
  stage: Idle
  seedImageRef:
    version: ${version}
    image: ${registry}/ibu/seed:${version}
    pullSecretRef:
      name: seed-pull-secret
  autoRollbackOnFailure: {}
  extraManifests:
  - name: example-extra-manifests
    namespace: openshift-lifecycle-agent
  oadpContent:
  - name: oadp-cm-example
    namespace: openshift-adp
`;
}

export const rehearsalBucket = 'ibu-backups';

export const storageLocationManifest = `apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata:
  name: default
  namespace: openshift-adp
spec:
  provider: aws
  default: true
  objectStorage:
    bucket: ${rehearsalBucket}
`;

/**
 * The application's Backups and Restores (IBU-14/15/16), wrapped in the ConfigMap the IBU names:
 * its cluster-scoped ClusterRole in a Backup of its own, selected by apply-label and restored in an
 * earlier wave than the namespaced rest.
 */
export function oadpContentManifest(target: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: oadp-cm-example
  namespace: openshift-adp
data:
  backup_cluster.yaml: |
    apiVersion: velero.io/v1
    kind: Backup
    metadata:
      name: sample-app-cluster-${target}
      namespace: openshift-adp
      labels:
        velero.io/storage-location: default
      annotations:
        lca.openshift.io/apply-label: rbac.authorization.k8s.io/v1/clusterroles/${sampleAppClusterRole}
    spec:
      includedClusterScopedResources:
      - clusterroles
  restore_cluster.yaml: |
    apiVersion: velero.io/v1
    kind: Restore
    metadata:
      name: sample-app-cluster-${target}
      namespace: openshift-adp
      labels:
        velero.io/storage-location: default
      annotations:
        lca.openshift.io/apply-wave: "1"
    spec:
      backupName: sample-app-cluster-${target}
  backup_app.yaml: |
    apiVersion: velero.io/v1
    kind: Backup
    metadata:
      name: sample-app-${target}
      namespace: openshift-adp
      labels:
        velero.io/storage-location: default
    spec:
      includedNamespaces:
      - sample-app
      includedNamespaceScopedResources:
      - configmaps
      - secrets
      - deployments
      - persistentvolumeclaims
      excludedClusterScopedResources:
      - persistentvolumes
  restore_app.yaml: |
    apiVersion: velero.io/v1
    kind: Restore
    metadata:
      name: sample-app-${target}
      namespace: openshift-adp
      labels:
        velero.io/storage-location: default
      annotations:
        lca.openshift.io/apply-wave: "4"
    spec:
      backupName: sample-app-${target}
`;
}

export const extraManifestsManifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: example-extra-manifests
  namespace: openshift-lifecycle-agent
data:
  note.yaml: |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: upgrade-note
      namespace: default
      annotations:
        lca.openshift.io/apply-wave: "1"
    data:
      note: applied after the pivot
`;
