/**
 * A small level-triggered reconciler the runtime tests drive: each Widget gets an owned ConfigMap
 * holding its size, and a Ready condition for the generation it reflects.
 */
import type { KubeClient } from '../../src/client/client.ts';
import { isNotFound } from '../../src/client/errors.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { sameConditions, setCondition } from '../../src/runtime/conditions.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../src/runtime/controller.ts';
import { widgetType, type Widget } from './widget-crd.ts';

export type ConfigMap = KubeObject & { data?: Record<string, string> };
export const configMapType = { apiVersion: 'v1', kind: 'ConfigMap' } as const;

export const configNameOf = (widgetName: string): string => `${widgetName}-config`;

export class WidgetReconciler implements Reconciler {
  readonly reconciled: string[] = [];

  async reconcile(request: Request, { client }: ReconcileContext): Promise<Result | void> {
    this.reconciled.push(`${request.cluster}/${request.namespace}/${request.name}`);
    let widget: Widget;
    try {
      widget = await client.get<Widget>(widgetType, request.name, { namespace: request.namespace });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await this.ensureConfig(client, widget);
    const generation = widget.metadata.generation;
    const conditions = setCondition(
      widget.status?.conditions,
      {
        type: 'Ready',
        status: 'True',
        reason: 'ConfigWritten',
        message: `size ${widget.spec?.size ?? 0} written to ${configNameOf(request.name)}`,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      },
      new Date(),
    );
    if (
      widget.status?.observedGeneration === generation &&
      sameConditions(widget.status?.conditions, conditions)
    )
      return;
    await client.updateStatus<Widget>({
      ...widget,
      status: { ...(generation !== undefined ? { observedGeneration: generation } : {}), conditions },
    });
  }

  private async ensureConfig(client: KubeClient, widget: Widget): Promise<void> {
    const namespace = widget.metadata.namespace ?? 'default';
    const name = configNameOf(widget.metadata.name);
    const data = { size: String(widget.spec?.size ?? 0) };
    try {
      const existing = await client.get<ConfigMap>(configMapType, name, { namespace });
      if (existing.data?.size !== data.size) await client.update({ ...existing, data });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await client.create<ConfigMap>({
        ...configMapType,
        metadata: {
          name,
          namespace,
          ownerReferences: [
            {
              apiVersion: widget.apiVersion,
              kind: widget.kind,
              name: widget.metadata.name,
              uid: widget.metadata.uid ?? '',
              controller: true,
            },
          ],
        },
        data,
      });
    }
  }
}
