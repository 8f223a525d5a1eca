/** Table output (`Accept: …;as=Table;g=meta.k8s.io;v=v1`), the way kubectl gets its columns. */
import type { Column, ResourceType } from './registry/resource-type.ts';
import type { JsonObject, KubeObject } from './object.ts';

/** Kubernetes' duration.HumanDuration: "45s", "12m", "3h4m", "2d5h", "90d", "3y45d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '<invalid>';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function age(object: KubeObject, now: number): string {
  const created = object.metadata.creationTimestamp;
  if (created === undefined) return '<unknown>';
  return humanDuration(now - Date.parse(created));
}

function columnDefinition(
  column: Pick<Column, 'name' | 'type' | 'format' | 'description' | 'priority'>,
): JsonObject {
  return {
    name: column.name,
    type: column.type === 'date' ? 'string' : column.type,
    format: column.format ?? (column.name === 'Name' ? 'name' : ''),
    description: column.description,
    priority: column.priority,
  };
}

function cellValue(column: Column, object: KubeObject, now: number): unknown {
  const value = column.cell(object);
  if (column.type === 'date') {
    return typeof value === 'string' && value !== '' ? humanDuration(now - Date.parse(value)) : '<unknown>';
  }
  return value ?? null;
}

export interface TableOptions {
  readonly includeObject: 'None' | 'Metadata' | 'Object';
  readonly withHeaders: boolean;
  readonly now: number;
}

export function tableColumns(type: ResourceType): JsonObject[] {
  return [
    columnDefinition({
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      priority: 0,
    }),
    ...type.columns.map(columnDefinition),
  ];
}

export function tableRow(type: ResourceType, object: KubeObject, options: TableOptions): JsonObject {
  const row: JsonObject = {
    cells: [object.metadata.name ?? '', ...type.columns.map((c) => cellValue(c, object, options.now))],
  };
  if (options.includeObject === 'Object') row.object = object;
  else if (options.includeObject === 'Metadata') {
    row.object = {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: object.metadata,
    };
  }
  return row;
}

export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  listMeta: JsonObject,
  options: TableOptions,
): JsonObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(options.withHeaders ? { columnDefinitions: tableColumns(type) } : {}),
    rows: objects.map((o) => tableRow(type, o, options)),
  };
}
