/**
 * How checks read the cluster: whole lists, one paginated list per kind shared by every check that
 * asks, and single gets — never a request per listed object, so a report over 10,000 objects stays
 * within a handful of requests per kind.
 */
import type { KubeClient } from '../../client/client.ts';
import { NoKindMatchError } from '../../client/discovery.ts';
import { isNotFound } from '../../client/errors.ts';
import type { KubeObject, TypeRef } from '../../client/object.ts';

export interface ClusterReader {
  /** The API server's URL, for the report header. */
  readonly server: string;
  /** Every object of a kind (in one namespace, or all); throws NotServedError for an unknown kind. */
  list<T extends KubeObject>(type: TypeRef, namespace?: string): Promise<readonly T[]>;
  /** One object, or undefined when it does not exist. */
  get<T extends KubeObject>(type: TypeRef, name: string, namespace?: string): Promise<T | undefined>;
}

/** The cluster has no such kind: an OpenShift API on plain Kubernetes, a CRD not installed. */
export class NotServedError extends Error {
  constructor(readonly type: TypeRef) {
    super(`the cluster does not serve ${type.kind} (${type.apiVersion})`);
    this.name = 'NotServedError';
  }
}

export interface KubeReaderOptions {
  /** Items per list page. */
  readonly pageSize?: number;
}

const defaultPageSize = 500;

export function kubeClusterReader(client: KubeClient, options: KubeReaderOptions = {}): ClusterReader {
  const pageSize = options.pageSize ?? defaultPageSize;
  const lists = new Map<string, Promise<readonly KubeObject[]>>();
  const gets = new Map<string, Promise<KubeObject | undefined>>();

  const listAll = async (type: TypeRef, namespace: string | undefined): Promise<readonly KubeObject[]> => {
    const items: KubeObject[] = [];
    let token: string | undefined;
    do {
      const page = await translate(type, () =>
        client.list(type, {
          limit: pageSize,
          ...(namespace !== undefined ? { namespace } : {}),
          ...(token !== undefined ? { continue: token } : {}),
        }),
      );
      items.push(...page.items);
      token = page.metadata.continue === '' ? undefined : page.metadata.continue;
    } while (token !== undefined);
    return items;
  };

  return {
    server: client.server,
    list<T extends KubeObject>(type: TypeRef, namespace?: string): Promise<readonly T[]> {
      const key = `${type.apiVersion} ${type.kind} ${namespace ?? ''}`;
      let pending = lists.get(key);
      if (pending === undefined) {
        pending = listAll(type, namespace);
        lists.set(key, pending);
      }
      return pending as Promise<readonly T[]>;
    },
    get<T extends KubeObject>(type: TypeRef, name: string, namespace?: string): Promise<T | undefined> {
      const key = `${type.apiVersion} ${type.kind} ${namespace ?? ''} ${name}`;
      let pending = gets.get(key);
      if (pending === undefined) {
        pending = translate(type, async () => {
          try {
            return await client.get(type, name, namespace !== undefined ? { namespace } : {});
          } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
          }
        });
        gets.set(key, pending);
      }
      return pending as Promise<T | undefined>;
    },
  };
}

async function translate<T>(type: TypeRef, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NoKindMatchError) throw new NotServedError(type);
    throw error;
  }
}
