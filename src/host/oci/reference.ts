/**
 * Image references as docker and CRI-O read them: `[registry/]repository[:tag][@digest]`, with
 * Docker Hub's defaults (`docker.io`, `library/` for one-component names, tag `latest`).
 */

export interface RepositoryRef {
  /** `host[:port]`, as written (Docker Hub is `docker.io`). */
  readonly registry: string;
  /** The path on the registry, e.g. `ibu/seed` or `library/busybox`. */
  readonly repository: string;
}

export interface ImageReference extends RepositoryRef {
  readonly tag?: string;
  /** `sha256:<64 hex>`; when both are given the digest is what a pull resolves. */
  readonly digest?: string;
}

export const dockerHub = 'docker.io';

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const sha256Pattern = /^sha256:[a-f0-9]{64}$/;

function invalid(text: string, why: string): Error {
  return new Error(`invalid image reference ${JSON.stringify(text)}: ${why}`);
}

/** Whether the first path component names a registry rather than a Docker Hub namespace. */
function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export function parseImageReference(text: string): ImageReference {
  if (text === '' || text.trim() !== text) throw invalid(text, 'empty or surrounded by spaces');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest))
      throw invalid(text, `digest ${JSON.stringify(digest)} is not algorithm:hex`);
    if (digest.startsWith('sha256:') && !sha256Pattern.test(digest)) {
      throw invalid(text, 'a sha256 digest is 64 lowercase hex characters');
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag))
      throw invalid(text, `tag ${JSON.stringify(tag)} is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }
  let registry = dockerHub;
  let repository = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash >= 0 && looksLikeRegistry(rest.slice(0, firstSlash))) {
    registry = rest.slice(0, firstSlash);
    repository = rest.slice(firstSlash + 1);
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = dockerHub;
  if (repository === '') throw invalid(text, 'no repository name');
  for (const component of repository.split('/')) {
    if (!pathComponent.test(component)) {
      throw invalid(
        text,
        component.toLowerCase() !== component
          ? 'repository name must be lowercase'
          : `repository path component ${JSON.stringify(component)} is not valid`,
      );
    }
  }
  if (registry === dockerHub && !repository.includes('/')) repository = `library/${repository}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  return {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The canonical text of a reference: `registry/repository[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What a manifest request names: the digest when there is one, else the tag. */
export function manifestReference(ref: ImageReference): string {
  const value = ref.digest ?? ref.tag;
  if (value === undefined)
    throw new Error(`image reference ${formatImageReference(ref)} has neither tag nor digest`);
  return value;
}

/** The host the registry API is served from (Docker Hub's API is not at docker.io). */
export function registryApiHost(registry: string): string {
  return registry === dockerHub ? 'registry-1.docker.io' : registry;
}

export function isSha256Digest(value: string): boolean {
  return sha256Pattern.test(value);
}
