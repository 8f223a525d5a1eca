import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestUser, systemClientOf } from '../../../src/apiserver/request-count/identity.ts';

const kubectlAgent = 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0';

describe('request user', () => {
  it('is the impersonated user when the client impersonates (kubectl --as)', () => {
    const user = requestUser(
      { 'impersonate-user': 'alice', authorization: 'Bearer t1', 'user-agent': kubectlAgent },
      new Map([['t1', 'bob']]),
    );
    assert.deepEqual(user, { username: 'alice', userAgent: 'kubectl/v1.33.1' });
  });

  it('is the user a known bearer token maps to, else system:admin', () => {
    const tokens = new Map([['t1', 'system:serviceaccount:openshift-lca:lca']]);
    assert.equal(requestUser({ authorization: 'Bearer t1' }, tokens).username, tokens.get('t1'));
    assert.equal(requestUser({ authorization: 'Bearer unknown' }, tokens).username, 'system:admin');
    assert.equal(requestUser({}).username, 'system:admin');
  });

  it('keeps the user agent up to its first space, as OpenShift does', () => {
    assert.equal(requestUser({ 'user-agent': kubectlAgent }).userAgent, 'kubectl/v1.33.1');
    assert.equal(requestUser({ 'user-agent': 'curl/8.5.0' }).userAgent, 'curl/8.5.0');
    assert.equal(requestUser({}).userAgent, '');
  });
});

describe('system_client label', () => {
  it('names the control-plane components the removal alerts leave out, and nobody else', () => {
    assert.equal(systemClientOf('kube-controller-manager/v1.26.5+0abcdef'), 'kube-controller-manager');
    assert.equal(systemClientOf('cluster-policy-controller/v0.0.0'), 'cluster-policy-controller');
    assert.equal(systemClientOf('kubectl/v1.33.1'), '');
    assert.equal(systemClientOf(''), '');
  });
});
