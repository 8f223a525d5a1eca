import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergePatch } from '../../../../src/controllers/velero/restore/run.ts';

describe('the update patch of existingResourcePolicy update', () => {
  it('sets what differs, nulls what the backup lacks, and leaves equal fields out', () => {
    assert.deepEqual(
      mergePatch(
        {
          metadata: { name: 'c', labels: { a: '1', stale: 'x' } },
          data: { level: '2', extra: 'y' },
          keep: [1, 2],
        },
        {
          metadata: { name: 'c', labels: { a: '1', 'velero.io/restore-name': 'r' } },
          data: { level: '1' },
          keep: [1, 2],
        },
      ),
      {
        metadata: { labels: { stale: null, 'velero.io/restore-name': 'r' } },
        data: { level: '1', extra: null },
      },
    );
    assert.deepEqual(mergePatch({ a: { b: 1 } }, { a: { b: 1 } }), {});
  });
});
