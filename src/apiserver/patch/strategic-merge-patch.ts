/**
 * Kubernetes' strategic merge patch (`application/strategic-merge-patch+json`), the default of
 * `kubectl patch` and what `kubectl apply` sends for built-in kinds. Follows the server side of
 * apimachinery's pkg/util/strategicpatch (StrategicMergeMapPatch): maps merge recursively and
 * `null` deletes; lists tagged `merge` merge by their merge key (lists of primitives as sets);
 * other lists are replaced. Directives: `$patch: replace|delete` on maps and list items,
 * `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>` and `$retainKeys`.
 */
import { formatGoValue, goTypeName, malformedPatch, unappliablePatch, type PatchError } from './errors.ts';
import { cloneJson, isJsonObject, jsonKind, setOwn, type JsonKind, type JsonObject } from './json.ts';
import type { PatchMeta } from './patch-meta.ts';

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

/** mergepatch's sentinel errors, which patch.go's interpretStrategicMergePatchError maps to 400/422. */
const badJsonDoc = (): PatchError => malformedPatch('invalid JSON document');
const badPrimitiveListFormat = (): PatchError => malformedPatch('invalid patch format of primitive list');
const badRetainKeysFormat = (): PatchError => malformedPatch('invalid patch format of retainKeys');
const badSetElementOrderFormat = (): PatchError =>
  malformedPatch('invalid patch format of setElementOrder list');
const noListOfLists = (): PatchError => unappliablePatch('lists of lists are not supported');
const noMergeKey = (item: unknown, mergeKey: string, status: 400 | 422): PatchError => {
  const message = `map: ${formatGoValue(item)} does not contain declared merge key: ${mergeKey}`;
  return status === 400 ? malformedPatch(message) : unappliablePatch(message);
};
const badPatchType = (directive: unknown, item: JsonObject): PatchError =>
  malformedPatch(`unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(item)}`);

/**
 * Applies `patch` to `target` without modifying either. With no `meta` (custom resources, which
 * kube-apiserver refuses strategic merge patch for) every list is replaced whole.
 */
export function applyStrategicMergePatch(
  target: unknown,
  patch: unknown,
  meta: PatchMeta | undefined,
): unknown {
  if (!isJsonObject(patch)) throw badJsonDoc();
  const original = isJsonObject(target) ? cloneJson(target) : {};
  return new StrategicMerger(meta).mergeMap(original, cloneJson(patch), []);
}

interface FieldStrategy {
  /** '' for an untagged field: maps merge, lists replace. */
  readonly strategy: 'merge' | 'replace' | '';
  readonly mergeKey: string;
}

interface MergedList {
  readonly list: unknown[];
  /** The live list's order as upstream sees it after merging (see GoSliceView). */
  readonly liveOrder: readonly unknown[];
}

interface Partition {
  readonly fromPatch: unknown[];
  readonly serverOnly: unknown[];
}

/** Works on private copies of the target and the patch, so it modifies both freely. */
class StrategicMerger {
  constructor(private readonly meta: PatchMeta | undefined) {}

  mergeMap(original: JsonObject, patch: JsonObject, path: readonly string[]): JsonObject {
    if (Object.hasOwn(patch, directiveMarker)) return mapDirective(patch);

    applyRetainKeys(original, patch);
    this.mergeOrderedLists(original, patch, path);

    for (const [patchKey, patchValue] of Object.entries(patch)) {
      const isDeleteList = patchKey.startsWith(deleteFromPrimitiveListPrefix);
      const key = isDeleteList ? extractKey(patchKey, deleteFromPrimitiveListPrefix) : patchKey;
      if (patchValue === null) {
        delete original[key];
        continue;
      }
      const originalValue = Object.hasOwn(original, key) ? original[key] : undefined;
      if (originalValue === undefined || jsonKind(originalValue) !== jsonKind(patchValue)) {
        if (!isDeleteList) takePatchValue(original, key, patchValue);
        continue;
      }
      const fieldPath = [...path, key];
      if (isJsonObject(originalValue) && isJsonObject(patchValue)) {
        const { strategy } = this.fieldStrategy(fieldPath);
        const merged =
          strategy === 'replace' ? patchValue : this.mergeMap(originalValue, patchValue, fieldPath);
        setOwn(original, key, merged);
      } else if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
        const field = this.fieldStrategy(fieldPath);
        const { list } = this.mergeListField(originalValue, patchValue, fieldPath, field, isDeleteList);
        setOwn(original, key, list);
      } else {
        setOwn(original, key, patchValue);
      }
    }
    return original;
  }

  private fieldStrategy(path: readonly string[]): FieldStrategy {
    const found = this.meta?.lookup(path);
    if (found === undefined) return { strategy: '', mergeKey: '' };
    // retainKeys only shapes the patches clients compute; applying honours any $retainKeys.
    const strategy = found.strategy.split(',').find((s) => s !== 'retainKeys');
    return {
      strategy: strategy === 'merge' || strategy === 'replace' ? strategy : '',
      mergeKey: found.mergeKey ?? '',
    };
  }

  private mergeListField(
    original: unknown[],
    patch: unknown[],
    path: readonly string[],
    field: FieldStrategy,
    isDeleteList: boolean,
  ): MergedList {
    // A deletion list removes items whatever the field's strategy.
    if (field.strategy === 'merge' || isDeleteList) {
      return this.mergeList(original, patch, path, field.mergeKey, isDeleteList);
    }
    return { list: patch, liveOrder: original };
  }

  private mergeList(
    original: unknown[],
    patch: unknown[],
    path: readonly string[],
    mergeKey: string,
    isDeleteList: boolean,
  ): MergedList {
    if (original.length === 0 && patch.length === 0) return { list: original, liveOrder: original };
    const kind = elementKind([original, patch]) ?? 'null';

    if (kind !== 'object') {
      if (isDeleteList) {
        const toDelete = new Set(patch);
        return { list: original.filter((item) => !toDelete.has(item)), liveOrder: original };
      }
      const merged = [...new Set([...original, ...patch])];
      const list = normalizeElementOrder(partitionPrimitives(merged, patch), patch, original, mergeKey, kind);
      return { list, liveOrder: original };
    }

    if (mergeKey === '') {
      throw unappliablePatch(`cannot merge lists without merge key for ${path.join('.')}`);
    }
    const live = new GoSliceView(original);
    const { base, items } = applyItemDirectives(live, patch, mergeKey);
    const merged = this.mergeItemsByKey(live, base, items, mergeKey, path);
    const list = normalizeElementOrder(
      partitionByMergeKey(merged, items, mergeKey),
      items,
      base,
      mergeKey,
      kind,
    );
    return { list, liveOrder: live.callerView() };
  }

  private mergeItemsByKey(
    live: GoSliceView,
    base: unknown[],
    items: readonly unknown[],
    mergeKey: string,
    path: readonly string[],
  ): unknown[] {
    const merged = [...base];
    for (const item of items) {
      if (!isJsonObject(item)) throw malformedPatch(badArgType({}, item));
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, 400);
      const index = findByMergeKey(merged, mergeKey, item[mergeKey]);
      const existing = index === -1 ? undefined : merged[index];
      if (isJsonObject(existing)) {
        merged[index] = this.mergeMap(existing, item, path);
      } else {
        merged.push(item);
        live.append(item);
      }
    }
    return merged;
  }

  /**
   * `$setElementOrder/<field>` carries the full order the client wants (kubectl apply sends it for
   * every merged list it changes); the list is merged, then sorted by it, with items only the
   * server knows kept where the live order puts them.
   */
  private mergeOrderedLists(original: JsonObject, patch: JsonObject, path: readonly string[]): void {
    for (const [patchKey, order] of Object.entries(patch)) {
      if (!patchKey.startsWith(setElementOrderPrefix)) continue;
      delete patch[patchKey];
      if (!Array.isArray(order)) throw badSetElementOrderFormat();
      const key = extractKey(patchKey, setElementOrderPrefix);

      const foundOriginal = Object.hasOwn(original, key);
      const foundPatch = Object.hasOwn(patch, key);
      if (!foundOriginal && !foundPatch) continue;
      const originalList = foundOriginal ? original[key] : [];
      const patchList = foundPatch ? patch[key] : [];
      if (!Array.isArray(originalList)) throw unappliablePatch(badArgType([], originalList));
      if (!Array.isArray(patchList)) throw malformedPatch(badArgType([], patchList));

      const fieldPath = [...path, key];
      const field = this.fieldStrategy(fieldPath);
      if (field.mergeKey !== '') {
        for (const entry of order) {
          if (!isJsonObject(entry)) throw malformedPatch(badArgType({}, entry));
          if (!Object.hasOwn(entry, field.mergeKey)) throw noMergeKey(entry, field.mergeKey, 400);
        }
      }
      validatePatchAgainstOrder(patchList, order, field.mergeKey);

      let merged: unknown[];
      let liveOrder: readonly unknown[] = originalList;
      if (!foundPatch) {
        merged = originalList;
      } else if (!foundOriginal) {
        merged = removeListDirectives(patchList);
      } else {
        ({ list: merged, liveOrder } = this.mergeListField(originalList, patchList, fieldPath, field, false));
      }

      const kind = elementKind([originalList, patchList]);
      // Without a merge key, maps have no identity to order by (only custom resources get here).
      if (kind !== undefined && !(kind === 'object' && field.mergeKey === '')) {
        const partition =
          field.mergeKey === ''
            ? partitionPrimitives(merged, order)
            : partitionByMergeKey(merged, order, field.mergeKey);
        merged = normalizeElementOrder(partition, order, liveOrder, field.mergeKey, kind);
      }
      setOwn(original, key, merged);
      delete patch[key];
    }
  }
}

function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[directiveMarker];
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

/**
 * `$retainKeys` lists the fields of a map that survive; kubectl sends it for retainKeys-tagged
 * fields (Deployment.spec.strategy, volumes) so that switching a union member clears the old one.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const retainKeys = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retainKeys)) throw badRetainKeysFormat();
  const retained = new Set<unknown>(retainKeys);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || isListDirectiveKey(key)) continue;
    if (!retained.has(key)) throw badRetainKeysFormat();
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

function isListDirectiveKey(key: string): boolean {
  return key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix);
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash === -1 || key.slice(0, slash) !== prefix) {
    throw prefix === deleteFromPrimitiveListPrefix ? badPrimitiveListFormat() : badSetElementOrderFormat();
  }
  return key.slice(slash + 1);
}

/** A value with no counterpart in the target is taken as is, minus nulls and directives. */
function takePatchValue(original: JsonObject, key: string, value: unknown): void {
  discardNulls(value);
  const { keep, value: cleaned } = removeDirectives(value);
  if (keep) setOwn(original, key, cleaned);
  else delete original[key];
}

function discardNulls(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(discardNulls);
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === null) delete value[key];
      else discardNulls(child);
    }
  }
}

/**
 * Drops maps carrying `$patch` (they describe changes to something absent) and, unlike upstream,
 * also the list directive keys inside them, which a typed decode would otherwise reject or drop.
 */
function removeDirectives(value: unknown): { keep: boolean; value: unknown } {
  if (Array.isArray(value)) return { keep: true, value: removeListDirectives(value) };
  if (!isJsonObject(value)) return { keep: true, value };
  if (Object.hasOwn(value, directiveMarker)) return { keep: false, value: undefined };
  for (const [key, child] of Object.entries(value)) {
    const cleaned = removeDirectives(child);
    if (!cleaned.keep || key === retainKeysDirective || isListDirectiveKey(key)) {
      delete value[key];
    } else {
      setOwn(value, key, cleaned.value);
    }
  }
  return { keep: true, value };
}

function removeListDirectives(list: readonly unknown[]): unknown[] {
  return list.flatMap((item) => {
    const cleaned = removeDirectives(item);
    return cleaned.keep ? [cleaned.value] : [];
  });
}

/** Handles `$patch` items of a list merged by key: `delete` removes, `replace` discards the rest. */
function applyItemDirectives(
  live: GoSliceView,
  patch: readonly unknown[],
  mergeKey: string,
): { base: unknown[]; items: unknown[] } {
  const items: unknown[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isJsonObject(item) || !Object.hasOwn(item, directiveMarker)) {
      items.push(item);
      continue;
    }
    switch (item[directiveMarker]) {
      case 'delete': {
        if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, 400);
        live.deleteMatching(mergeKey, item[mergeKey]);
        break;
      }
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw malformedPatch('merging lists cannot yet be specified in the patch');
      default:
        throw badPatchType(item[directiveMarker], item);
    }
  }
  if (replace) {
    live.detach();
    return { base: items, items: [] };
  }
  return { base: live.current(), items };
}

function findByMergeKey(list: readonly unknown[], mergeKey: string, value: unknown): number {
  return list.findIndex(
    (item) => isJsonObject(item) && Object.hasOwn(item, mergeKey) && item[mergeKey] === value,
  );
}

/** The kind shared by every element, undefined when the lists are empty. */
function elementKind(lists: readonly (readonly unknown[])[]): JsonKind | undefined {
  let kind: JsonKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const current = jsonKind(item);
      if (kind === undefined) {
        if (current === 'array') throw noListOfLists();
        kind = current;
      } else if (current !== kind) {
        throw unappliablePatch(
          `list element types are not identical: ${formatGoValue(lists.map((l) => [...l]))}`,
        );
      }
    }
  }
  return kind;
}

function badArgType(expected: unknown, actual: unknown): string {
  return `expected a ${goTypeName(expected)}, but received a ${goTypeName(actual)}`;
}

function partitionPrimitives(merged: readonly unknown[], by: readonly unknown[]): Partition {
  const inPatch = new Set(by);
  return {
    fromPatch: merged.filter((item) => inPatch.has(item)),
    serverOnly: merged.filter((item) => !inPatch.has(item)),
  };
}

function partitionByMergeKey(
  merged: readonly unknown[],
  by: readonly unknown[],
  mergeKey: string,
): Partition {
  const fromPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) {
    if (!isJsonObject(item)) throw unappliablePatch(badArgType({}, item));
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, 422);
    if (findByMergeKey(by, mergeKey, item[mergeKey]) === -1) serverOnly.push(item);
    else fromPatch.push(item);
  }
  return { fromPatch, serverOnly };
}

/**
 * Orders the patch's items as the patch (or `$setElementOrder`) lists them and the server-only
 * items as the live list has them, then interleaves the two, keeping server-only items before
 * the first patch item that follows them in the live list (upstream's normalizeElementOrder).
 */
function normalizeElementOrder(
  { fromPatch, serverOnly }: Partition,
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  const identity = identityOf(mergeKey, kind);
  const sortedPatch = sortByOrder(fromPatch, patchOrder, identity, mergeKey, kind);
  const sortedServer = sortByOrder(serverOnly, serverOrder, identity, mergeKey, kind);
  const serverIndex = (item: unknown): number => indexIn(serverOrder, identity(item), identity);

  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < sortedServer.length || j < sortedPatch.length) {
    if (i >= sortedServer.length) {
      result.push(sortedPatch[j++]);
    } else if (j >= sortedPatch.length) {
      result.push(sortedServer[i++]);
    } else {
      const left = serverIndex(sortedServer[i]);
      const right = serverIndex(sortedPatch[j]);
      if (left >= 0 && right >= 0 && left < right) result.push(sortedServer[i++]);
      else result.push(sortedPatch[j++]);
    }
  }
  return result;
}

type Identity = (item: unknown) => unknown;

function identityOf(mergeKey: string, kind: JsonKind): Identity {
  if (kind !== 'object') return (item) => item;
  return (item) => (isJsonObject(item) ? item[mergeKey] : undefined);
}

function indexIn(list: readonly unknown[], id: unknown, identity: Identity): number {
  return list.findIndex((item) => identity(item) === id);
}

/** Stable sort by position in `order`; `$patch: delete` items go last, as upstream puts them. */
function sortByOrder(
  items: readonly unknown[],
  order: readonly unknown[],
  identity: Identity,
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  let toSort = [...items];
  let deletions: unknown[] = [];
  if (kind === 'object') {
    // Patch items and $setElementOrder entries were checked already: a failure here is the target's.
    for (const item of [...items, ...order]) {
      if (!isJsonObject(item)) throw unappliablePatch(badArgType({}, item));
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, 422);
    }
    const isDeletion = (item: unknown): boolean => isJsonObject(item) && item[directiveMarker] === 'delete';
    deletions = toSort.filter(isDeletion);
    toSort = toSort.filter((item) => !isDeletion(item));
  }
  const position = (item: unknown): number => {
    const index = indexIn(order, identity(item), identity);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...toSort.sort((a, b) => position(a) - position(b)), ...deletions];
}

/**
 * A `$setElementOrder` list must name the patch's items in the same relative order; a patch item
 * it leaves out is rejected.
 */
function validatePatchAgainstOrder(
  patchList: readonly unknown[],
  order: readonly unknown[],
  mergeKey: string,
): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items =
    mergeKey === ''
      ? patchList
      : patchList.filter((item) => !(isJsonObject(item) && item[directiveMarker] === 'delete'));
  const keyOf = (item: unknown): unknown => {
    if (mergeKey === '') return item;
    if (!isJsonObject(item)) throw malformedPatch(badArgType({}, item));
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey, 400);
    return item[mergeKey];
  };
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < items.length && orderIndex < order.length) {
    const item = items[patchIndex];
    if (isJsonObject(item) && Object.hasOwn(item, directiveMarker)) {
      patchIndex++;
      continue;
    }
    if (keyOf(item) === keyOf(order[orderIndex])) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < items.length) {
    throw malformedPatch(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${formatGoValue(order)}\n`,
    );
  }
}

/**
 * Upstream deletes list items in place (`append(s[:k], s[k+1:]...)`) and appends new items into
 * the freed capacity, so the caller's view of the live list — which `$setElementOrder` then orders
 * server-only items by — ends up holding the survivors, then the first added items, then stale
 * copies. Upstream's own expected results depend on it, so it is reproduced here.
 */
class GoSliceView {
  private readonly backing: unknown[];
  private length: number;
  private detached = false;

  constructor(original: readonly unknown[]) {
    this.backing = [...original];
    this.length = original.length;
  }

  current(): unknown[] {
    return this.backing.slice(0, this.length);
  }

  deleteMatching(mergeKey: string, value: unknown): void {
    for (;;) {
      const index = findByMergeKey(this.current(), mergeKey, value);
      if (index === -1) return;
      this.backing.copyWithin(index, index + 1, this.length);
      this.length--;
    }
  }

  append(item: unknown): void {
    if (this.detached || this.length >= this.backing.length) {
      this.detached = true;
      return;
    }
    this.backing[this.length++] = item;
  }

  /** After `$patch: replace` the merge continues on a new slice. */
  detach(): void {
    this.detached = true;
  }

  callerView(): readonly unknown[] {
    return this.backing;
  }
}
