import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countName, parseCountName } from '../../../src/apiserver/request-count/names.ts';

describe('APIRequestCount names', () => {
  it('are <resource>.<version>.<group>, or <resource>.<version> for the core group', () => {
    assert.equal(
      countName({ resource: 'csistoragecapacities', version: 'v1beta1', group: 'storage.k8s.io' }),
      'csistoragecapacities.v1beta1.storage.k8s.io',
    );
    assert.equal(countName({ resource: 'configmaps', version: 'v1', group: '' }), 'configmaps.v1');
  });

  it('are not made for paths no object could be named after', () => {
    assert.equal(countName({ resource: 'ConfigMaps', version: 'v1', group: '' }), undefined);
    assert.equal(countName({ resource: 'a.b', version: 'v1', group: '' }), undefined);
    assert.equal(countName({ resource: 'pods', version: 'v1', group: 'Bad_Group' }), undefined);
  });

  it('read back into group, version and resource', () => {
    assert.deepEqual(parseCountName('flowschemas.v1beta2.flowcontrol.apiserver.k8s.io'), {
      resource: 'flowschemas',
      version: 'v1beta2',
      group: 'flowcontrol.apiserver.k8s.io',
    });
    assert.deepEqual(parseCountName('pods.v1'), { resource: 'pods', version: 'v1', group: '' });
    assert.equal(parseCountName('pods'), undefined);
  });
});
