/** A small custom resource with a status subresource, installed at runtime by the tests. */
import type { KubeClient } from '../../src/client/client.ts';
import type { KubeObject } from '../../src/client/object.ts';
import type { Condition } from '../../src/runtime/conditions.ts';
import { waitFor } from './restartable-api.ts';

export interface WidgetSpec {
  size?: number;
  color?: string;
}

export interface WidgetStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export type Widget = KubeObject<WidgetSpec, WidgetStatus>;

export const widgetType = { apiVersion: 'test.lcm.io/v1', kind: 'Widget' } as const;

export function widget(name: string, spec: WidgetSpec = { size: 1 }, namespace = 'default'): Widget {
  return { ...widgetType, metadata: { name, namespace }, spec };
}

export const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.lcm.io' },
  spec: {
    group: 'test.lcm.io',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer' }, color: { type: 'string' } },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

/** Creates the CRD and waits until discovery serves the kind. */
export async function installWidgetCrd(client: KubeClient): Promise<void> {
  await client.create(widgetCrd);
  await waitFor('Widget to be served', async () => {
    try {
      await client.resourceFor(widgetType.apiVersion, widgetType.kind);
      return true;
    } catch {
      return false;
    }
  });
}
