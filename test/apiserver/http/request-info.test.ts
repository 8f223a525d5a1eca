import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, splitClusterPath } from '../../../src/apiserver/http/request-info.ts';

function info(method: string, path: string, query = '') {
  const target = classify(method, splitClusterPath(path).segments, new URLSearchParams(query));
  assert.equal(target.kind, 'resource');
  return target.kind === 'resource' ? target.info : undefined;
}

describe('request paths are split as kube-apiserver splits them', () => {
  it('namespaced collection and item', () => {
    assert.deepEqual(info('GET', '/api/v1/namespaces/ns1/configmaps'), {
      group: '',
      version: 'v1',
      resource: 'configmaps',
      namespace: 'ns1',
      name: undefined,
      subresource: undefined,
      verb: 'list',
    });
    assert.equal(info('GET', '/apis/apps/v1/namespaces/ns1/deployments/web/scale')?.subresource, 'scale');
    assert.equal(info('DELETE', '/api/v1/namespaces/ns1/configmaps')?.verb, 'deletecollection');
  });

  it('a namespace itself, with its status and finalize subresources', () => {
    assert.deepEqual(
      { ...info('GET', '/api/v1/namespaces/ns1') },
      {
        group: '',
        version: 'v1',
        resource: 'namespaces',
        namespace: undefined,
        name: 'ns1',
        subresource: undefined,
        verb: 'get',
      },
    );
    assert.equal(info('PUT', '/api/v1/namespaces/ns1/finalize')?.subresource, 'finalize');
  });

  it('watch by query and by the legacy /watch/ prefix', () => {
    assert.equal(info('GET', '/api/v1/configmaps', 'watch=true')?.verb, 'watch');
    assert.equal(info('GET', '/api/v1/watch/namespaces/a/configmaps')?.verb, 'watch');
  });

  it('logical clusters are stripped from the path, once even when kubectl repeats the prefix', () => {
    assert.deepEqual(splitClusterPath('/clusters/spoke1/api/v1/namespaces'), {
      cluster: 'spoke1',
      segments: ['api', 'v1', 'namespaces'],
    });
    assert.deepEqual(splitClusterPath('/clusters/spoke1/clusters/spoke1/api'), {
      cluster: 'spoke1',
      segments: ['api'],
    });
    assert.deepEqual(splitClusterPath('/version'), { cluster: undefined, segments: ['version'] });
  });
});
