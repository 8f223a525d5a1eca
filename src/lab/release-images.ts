/**
 * The container images of a simulated host's release. A real cluster holds its release's images in
 * /var/lib/containers, and a seed image lists them so a target pre-pulls them in Prep; the lab
 * builds small stand-ins per release, pushes them to the lab registry and pulls them onto each host,
 * so those pulls (and a full disk or an unreachable registry during them) are real.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../host/oci/build.ts';
import { mediaTypes } from '../host/oci/media-types.ts';
import { pushLayout } from '../host/oci/transfer.ts';
import type { SimulatedHost } from './sim-host.ts';

/** A few of a release payload's components: enough to make pre-pulling measurable. */
const components = ['cluster-version-operator', 'etcd', 'hyperkube'] as const;
const imageBytes = 256 * 1024;

export function releaseImageRefs(registry: string, version: string): string[] {
  return components.map((component) => `${registry}/lab/ocp-release/${component}:${version}`);
}

/** The same component and version always give the same bytes, hence the same digest. */
function contentOf(component: string, version: string): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update(`${component}@${version}`).digest();
  for (let size = 0; size < imageBytes; size += block.length) {
    chunks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks).subarray(0, imageBytes);
}

/**
 * Pushes the release's images to the registry (when missing) and pulls each one the host does not
 * hold yet; they are pinned, as images of running containers cannot be pruned.
 */
export async function ensureReleaseImages(host: SimulatedHost, registry: string): Promise<void> {
  const version = (await host.facts()).releaseVersion;
  const held = new Set((await host.containerStorage.list()).map((image) => image.ref));
  const work = await mkdtemp(join(tmpdir(), 'lcm-release-images-'));
  try {
    for (const [index, ref] of releaseImageRefs(registry, version).entries()) {
      if (held.has(ref)) continue;
      const component = components[index] ?? 'component';
      const layoutDir = join(work, component);
      const file = join(work, `${component}.bin`);
      await writeFile(file, contentOf(component, version));
      await buildImage({
        layoutDir,
        layers: [{ path: file, mediaType: mediaTypes.ociLayer }],
        config: { labels: { 'io.openshift.release': version, 'io.openshift.component': component } },
        refName: version,
      });
      await pushLayout(layoutDir, ref, { refName: version });
      await host.containerStorage.pull(ref, { registry: {} });
      await host.containerStorage.pin(ref);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
