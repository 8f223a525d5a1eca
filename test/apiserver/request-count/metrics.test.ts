import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiServerMetrics } from '../../../src/apiserver/request-count/metrics.ts';

const request = {
  cluster: 'hub',
  verb: 'LIST',
  dryRun: '',
  group: 'storage.k8s.io',
  version: 'v1beta1',
  resource: 'csistoragecapacities',
  subresource: '',
  scope: 'cluster',
  systemClient: '',
  code: 200,
};

describe('API server metrics', () => {
  it('counts requests per label set in Prometheus text format', () => {
    const metrics = new ApiServerMetrics(() => 0);
    metrics.countRequest(request);
    metrics.countRequest(request);
    metrics.countRequest({ ...request, code: 404 });
    const text = metrics.render();
    assert.match(text, /^# TYPE apiserver_request_total counter$/m);
    assert.ok(
      text.includes(
        'apiserver_request_total{cluster="hub",code="200",component="apiserver",dry_run="",group="storage.k8s.io",resource="csistoragecapacities",scope="cluster",subresource="",system_client="",verb="LIST",version="v1beta1"} 2\n',
      ),
      text,
    );
    assert.match(text, /code="404".* 1$/m);
  });

  it('shows a removed API as requested for 24 hours after its last request', () => {
    let now = 0;
    const metrics = new ApiServerMetrics(() => now);
    const api = {
      cluster: 'spoke1',
      group: 'storage.k8s.io',
      version: 'v1beta1',
      resource: 'csistoragecapacities',
      subresource: '',
      removedRelease: '1.27',
    };
    metrics.sawDeprecated(api);
    const line =
      'apiserver_requested_deprecated_apis{cluster="spoke1",group="storage.k8s.io",removed_release="1.27",resource="csistoragecapacities",subresource="",version="v1beta1"} 1';
    assert.ok(metrics.render().includes(line));
    now = 23 * 3_600_000;
    metrics.sawDeprecated(api);
    now = 46 * 3_600_000;
    assert.ok(metrics.render().includes(line));
    now = 48 * 3_600_000;
    assert.ok(!metrics.render().includes('apiserver_requested_deprecated_apis{'));
  });

  it("renders one cluster's series only when asked, and escapes label values", () => {
    const metrics = new ApiServerMetrics(() => 0);
    metrics.countRequest(request);
    metrics.countRequest({ ...request, cluster: 'spoke1', resource: 'a"b\\c' });
    const spoke = metrics.render('spoke1');
    assert.ok(!spoke.includes('cluster="hub"'));
    assert.ok(spoke.includes('resource="a\\"b\\\\c"'), spoke);
  });
});
