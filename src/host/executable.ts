/** Finding the system programs lcm drives (etcd, etcdctl, docker-registry, prometheus). */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * `explicit` if given, else the first executable `name` in /usr/bin (where Debian's packages put
 * it) or on PATH; undefined when there is none, so each caller can say which package to install.
 */
export function findExecutable(name: string, explicit?: string): string | undefined {
  const candidates =
    explicit !== undefined
      ? [explicit]
      : [join('/usr/bin', name), ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, name))];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
