import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageOperatorOf } from '../../../src/controllers/imagebasedupgrade/compatibility.ts';
import {
  excludedKindProblems,
  storageRuleProblems,
  type OadpBackup,
} from '../../../src/controllers/imagebasedupgrade/backup-rules.ts';

const app = (spec: OadpBackup['spec']): OadpBackup => ({
  source: 'openshift-adp/oadp-cm backup.yaml',
  name: 'app',
  spec,
});

describe('persistent volumes in the OADP content follow the storage operator (seed 000)', () => {
  it('with the Local Storage Operator an application Backup must exclude persistentvolumes', () => {
    const problems = storageRuleProblems(
      [
        app({
          includedNamespaces: ['sample-app'],
          includedNamespaceScopedResources: ['persistentvolumeclaims'],
        }),
      ],
      'local-storage-operator',
    );
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /Backup app must exclude persistentvolumes \(excludedClusterScopedResources\)/,
    );
    assert.deepEqual(
      storageRuleProblems(
        [app({ includedNamespaces: ['sample-app'], excludedClusterScopedResources: ['persistentvolumes'] })],
        'local-storage-operator',
      ),
      [],
    );
  });

  it('with LVM Storage an application Backup must include persistentvolumes', () => {
    assert.match(
      storageRuleProblems([app({ includedNamespaces: ['sample-app'] })], 'lvms-operator')[0] ?? '',
      /must include persistentvolumes .*LVM Storage artifacts/,
    );
    assert.deepEqual(
      storageRuleProblems(
        [app({ includedNamespaces: ['sample-app'], includedClusterScopedResources: ['persistentvolumes'] })],
        'lvms-operator',
      ),
      [],
    );
  });

  it('Backups that hold no claims are not concerned (cluster-scoped only, or PVCs excluded)', () => {
    for (const storage of ['local-storage-operator', 'lvms-operator'] as const) {
      assert.deepEqual(
        storageRuleProblems(
          [
            app({ includedClusterScopedResources: ['clusterroles'] }),
            app({ includedNamespaces: ['a'], includedNamespaceScopedResources: ['configmaps'] }),
            app({ includedNamespaces: ['a'], excludedResources: ['persistentvolumeclaims'] }),
          ],
          storage,
        ),
        [],
      );
    }
  });

  it('kinds that are rebuilt, not restored, must stay out of a Backup (pods, replicasets, …)', () => {
    assert.match(
      excludedKindProblems(
        [
          app({
            includedNamespaces: ['a'],
            includedNamespaceScopedResources: ['deployments', 'ReplicaSet', 'pods'],
          }),
        ],
        undefined,
      )[0] ?? '',
      /Backup app must not include pods, replicasets \(they are rebuilt, not restored\)/,
    );
    assert.match(
      excludedKindProblems(
        [app({ includedNamespaces: ['a'], excludedResources: ['pods', 'endpoints'] })],
        'local-storage-operator',
      )[0] ?? '',
      /backs up every namespaced resource, so it must list controllerrevisions, podmetrics, packagemanifests, replicasets, localvolumes in excludedResources/,
    );
    assert.deepEqual(
      excludedKindProblems(
        [
          app({ includedNamespaces: ['a'], includedNamespaceScopedResources: ['configmaps', 'deployments'] }),
          app({
            includedNamespaces: ['a'],
            excludedResources: [
              'pods',
              'endpoints',
              'controllerrevisions',
              'podmetrics',
              'packagemanifests',
              'replicasets',
            ],
          }),
          app({ includedClusterScopedResources: ['clusterroles'] }),
        ],
        'lvms-operator',
      ),
      [],
    );
  });

  it('the storage operator is the one OLM package installed, LSO or LVMS', () => {
    const facts = (...names: string[]) => ({ operators: names.map((name) => ({ name, version: '4.16.0' })) });
    assert.equal(
      storageOperatorOf(facts('oadp-operator', 'local-storage-operator')),
      'local-storage-operator',
    );
    assert.equal(storageOperatorOf(facts('lvms-operator')), 'lvms-operator');
    assert.equal(storageOperatorOf(facts('local-storage-operator', 'lvms-operator')), undefined);
    assert.equal(storageOperatorOf(facts()), undefined);
  });
});
