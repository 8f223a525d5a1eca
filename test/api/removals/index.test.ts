import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allRemovals,
  apiVersionOf,
  compareMinor,
  isEusRelease,
  kubernetesVersionOf,
  openshiftVersionOf,
  removalOf,
  removalOfKind,
  removalsBetween,
  removalsBy,
} from '../../../src/api/removals/index.ts';
import {
  DataFileError,
  loadRemovals,
  loadVersions,
  parseRemovals,
  parseVersions,
} from '../../../src/api/removals/data-files.ts';

describe('seed 001 facts', () => {
  it('csistoragecapacities.v1beta1.storage.k8s.io is removed in 1.27 and migrates to storage.k8s.io/v1', () => {
    const r = removalOf('csistoragecapacities', 'v1beta1', 'storage.k8s.io');
    assert.equal(r?.removedInRelease, '1.27');
    assert.equal(r.replacement, 'storage.k8s.io/v1');
    assert.equal(r.kind, 'CSIStorageCapacity');
  });

  it('flowschemas and prioritylevelconfigurations v1beta2 are removed in 1.29', () => {
    for (const resource of ['flowschemas', 'prioritylevelconfigurations']) {
      assert.equal(removalOf(resource, 'v1beta2', 'flowcontrol.apiserver.k8s.io')?.removedInRelease, '1.29');
    }
  });

  it('OpenShift 4.14 runs Kubernetes 1.27, with or without a patch level', () => {
    assert.equal(kubernetesVersionOf('4.14'), '1.27');
    assert.equal(kubernetesVersionOf('4.14.13'), '1.27');
    assert.equal(openshiftVersionOf('1.27'), '4.14');
  });

  it('the 4.13 → 4.14 update crosses exactly the CSIStorageCapacity v1beta1 removal', () => {
    const from = kubernetesVersionOf('4.13');
    const to = kubernetesVersionOf('4.14');
    assert.ok(from && to);
    assert.deepEqual(
      removalsBetween(from, to).map((r) => `${r.resource}.${r.version}.${r.group}`),
      ['csistoragecapacities.v1beta1.storage.k8s.io'],
    );
  });
});

describe('removal data', () => {
  it('covers every removal release of the migration guide from 1.16 to 1.32', () => {
    const releases = new Set(allRemovals().map((r) => r.removedInRelease));
    assert.deepEqual([...releases], ['1.16', '1.22', '1.25', '1.26', '1.27', '1.29', '1.32']);
  });

  it('holds the well-known removals with their replacements', () => {
    const expect: [string, string, string, string, string][] = [
      ['deployments', 'v1beta1', 'extensions', '1.16', 'apps/v1'],
      ['ingresses', 'v1beta1', 'networking.k8s.io', '1.22', 'networking.k8s.io/v1'],
      ['customresourcedefinitions', 'v1beta1', 'apiextensions.k8s.io', '1.22', 'apiextensions.k8s.io/v1'],
      ['cronjobs', 'v1beta1', 'batch', '1.25', 'batch/v1'],
      ['poddisruptionbudgets', 'v1beta1', 'policy', '1.25', 'policy/v1'],
      ['horizontalpodautoscalers', 'v2beta1', 'autoscaling', '1.25', 'autoscaling/v2'],
      ['horizontalpodautoscalers', 'v2beta2', 'autoscaling', '1.26', 'autoscaling/v2'],
      ['flowschemas', 'v1beta3', 'flowcontrol.apiserver.k8s.io', '1.32', 'flowcontrol.apiserver.k8s.io/v1'],
    ];
    for (const [resource, version, group, removed, replacement] of expect) {
      const r = removalOf(resource, version, group);
      assert.equal(r?.removedInRelease, removed, `${resource}.${version}.${group}`);
      assert.equal(r.replacement, replacement, `${resource}.${version}.${group}`);
    }
  });

  it('PodSecurityPolicy in policy/v1beta1 has no replacement and says what to do instead', () => {
    const psp = removalOf('podsecuritypolicies', 'v1beta1', 'policy');
    assert.equal(psp?.replacement, undefined);
    assert.match(psp?.notes ?? '', /Pod Security Admission/);
  });

  it('carries the field changes a migration must handle', () => {
    assert.match(
      removalOf('ingresses', 'v1beta1', 'extensions')?.notes ?? '',
      /spec\.backend → spec\.defaultBackend/,
    );
    assert.match(
      removalOf('ingresses', 'v1beta1', 'networking.k8s.io')?.notes ?? '',
      /service\.port\.number/,
    );
    assert.match(
      removalOf('horizontalpodautoscalers', 'v2beta1', 'autoscaling')?.notes ?? '',
      /targetAverageUtilization → .*target\.averageUtilization/,
    );
    assert.match(removalOf('poddisruptionbudgets', 'v1beta1', 'policy')?.notes ?? '', /empty spec\.selector/);
    assert.match(removalOf('endpointslices', 'v1beta1', 'discovery.k8s.io')?.notes ?? '', /nodeName.*zone/);
  });

  it('has no two entries for one group/version/resource, nor for one apiVersion and kind', () => {
    const names = allRemovals().map((r) => `${r.resource}.${r.version}.${r.group}`);
    assert.equal(new Set(names).size, names.length);
    const kinds = allRemovals().map((r) => `${apiVersionOf(r)} ${r.kind}`);
    assert.equal(new Set(kinds).size, kinds.length);
  });

  it('never points a removal at an API that the same or an earlier release removes', () => {
    for (const r of allRemovals()) {
      if (!r.replacement) continue;
      const target = allRemovals().find((t) => apiVersionOf(t) === r.replacement && t.kind === r.kind);
      if (target) assert.ok(compareMinor(target.removedInRelease, r.removedInRelease) > 0, r.resource);
    }
  });

  it('deprecates every API before it removes it', () => {
    for (const r of allRemovals()) {
      if (r.deprecatedInRelease)
        assert.ok(compareMinor(r.deprecatedInRelease, r.removedInRelease) < 0, r.resource);
    }
  });

  it('is sorted by removal release and frozen', () => {
    const releases = allRemovals().map((r) => r.removedInRelease);
    assert.deepEqual(releases, [...releases].sort(compareMinor));
    assert.ok(Object.isFrozen(allRemovals()));
    assert.ok(Object.isFrozen(allRemovals()[0]));
  });

  it('finds a removal by the apiVersion and kind a manifest carries', () => {
    assert.equal(removalOfKind('policy/v1beta1', 'PodDisruptionBudget')?.resource, 'poddisruptionbudgets');
    assert.equal(removalOfKind('policy/v1', 'PodDisruptionBudget'), undefined);
  });
});

describe('removalsBy and removalsBetween', () => {
  it('removalsBy includes the given release and everything before it', () => {
    const by = removalsBy('1.25');
    assert.ok(by.some((r) => r.removedInRelease === '1.25'));
    assert.ok(by.some((r) => r.removedInRelease === '1.16'));
    assert.ok(by.every((r) => compareMinor(r.removedInRelease, '1.25') <= 0));
    assert.equal(removalsBy('1.15').length, 0);
    assert.equal(removalsBy('1.33').length, allRemovals().length);
  });

  it('removalsBetween excludes the release updated from and includes the release updated to', () => {
    const between = removalsBetween('1.25', '1.29');
    assert.deepEqual([...new Set(between.map((r) => r.removedInRelease))], ['1.26', '1.27', '1.29']);
    assert.equal(removalsBetween('1.27', '1.27').length, 0);
  });

  it('accepts patch levels and a leading v, and refuses what is not a version', () => {
    assert.deepEqual(removalsBy('v1.27.4'), removalsBy('1.27'));
    assert.throws(() => removalsBy('latest'), /Kubernetes version 'latest' is not a version/);
    assert.throws(() => removalsBetween('1.25', 'x'), RangeError);
  });
});

describe('OpenShift versions', () => {
  it('maps every OpenShift minor from 4.1 to 4.20, skipping Kubernetes 1.15', () => {
    assert.equal(kubernetesVersionOf('4.1'), '1.13');
    assert.equal(kubernetesVersionOf('4.2'), '1.14');
    assert.equal(kubernetesVersionOf('4.3'), '1.16');
    assert.equal(kubernetesVersionOf('4.12'), '1.25');
    assert.equal(kubernetesVersionOf('4.16'), '1.29');
    assert.equal(kubernetesVersionOf('4.20'), '1.33');
    assert.equal(kubernetesVersionOf('4.99'), undefined);
    assert.equal(kubernetesVersionOf('four'), undefined);
  });

  it('marks the even minors from 4.6 on as EUS and nothing else', () => {
    for (const v of ['4.6', '4.8', '4.10', '4.12', '4.14', '4.16', '4.18', '4.20', '4.14.3']) {
      assert.ok(isEusRelease(v), v);
    }
    for (const v of ['4.2', '4.4', '4.5', '4.7', '4.13', '4.19', 'x']) assert.ok(!isEusRelease(v), v);
  });
});

describe('data file validation', () => {
  const valid = {
    group: 'batch',
    version: 'v1beta1',
    resource: 'cronjobs',
    kind: 'CronJob',
    removedInRelease: '1.25',
  };

  it('names the file and entry index of a malformed entry', () => {
    assert.throws(
      () =>
        parseRemovals({ sources: ['x'], removals: [valid, { ...valid, removedInRelease: '25' }] }, 'r.json'),
      (err: Error) =>
        err instanceof DataFileError && /^r\.json: removals\[1\]: \/removedInRelease/.test(err.message),
    );
  });

  it('refuses a duplicate entry and a file without sources', () => {
    assert.throws(
      () => parseRemovals({ sources: ['x'], removals: [valid, valid] }, 'r.json'),
      /removals\[1\]: duplicate/,
    );
    assert.throws(() => parseRemovals({ sources: [], removals: [] }, 'r.json'), /r\.json: \/sources/);
    assert.throws(
      () =>
        parseVersions({ sources: ['x'], versions: [{ openshift: '4.14', kubernetes: '1.27' }] }, 'v.json'),
      /v\.json: versions\[0\]: \/eus/,
    );
  });

  it('reports an unreadable or unparsable file by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'removals-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    assert.throws(
      () => loadRemovals(broken),
      (err: Error) => err.message.startsWith(`${broken}: cannot read`),
    );
    assert.throws(() => loadVersions(join(dir, 'missing.json')), /missing\.json: cannot read data file/);
  });
});
