/**
 * Finds removed or deprecated Kubernetes APIs in the text of a manifest file: multi-document YAML,
 * JSON (a YAML subset), and `List` / `*List` objects whose items are checked one by one.
 *
 * Each text is parsed once with `parseAllDocuments`, and only the few fields the scan needs are read
 * off the syntax tree (no `toJS()`): that keeps the scan close to the speed of plain parsing.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import { compareMinor, removalOfKind } from '../../api/removals/index.ts';
import { lazyLines } from './line-index.ts';
import type { Finding, ScanError, ScanTarget, TextScanResult } from './types.ts';

/** Where an object found in a text is reported; rendered charts point back at their templates. */
export interface ObjectSite {
  /** Offset of the object's `apiVersion` key (or of the object) in the scanned text. */
  readonly offset: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  /** The parsed document the object belongs to (for comments such as helm's `# Source:`). */
  readonly document: Document.Parsed;
}

export type Locate = (site: ObjectSite, lineOf: (offset: number) => number) => { file: string; line: number };

export interface ScanTextOptions {
  readonly locate?: Locate;
  readonly renderedBy?: Finding['renderedBy'];
}

function pairOf(map: YAMLMap, key: string): { value: unknown; keyOffset: number } | undefined {
  for (const pair of map.items) {
    const k = pair.key;
    if (isScalar(k) && k.value === key) return { value: pair.value, keyOffset: k.range?.[0] ?? 0 };
  }
  return undefined;
}

function stringAt(map: YAMLMap, key: string): string | undefined {
  const value = pairOf(map, key)?.value;
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

function nodeStart(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

function describeNode(node: unknown): string {
  if (isSeq(node)) return 'a YAML sequence';
  if (isScalar(node)) return `the scalar ${JSON.stringify(node.value)}`.slice(0, 60);
  return 'not a mapping';
}

/** The `XList` kind of a typed list means items without apiVersion/kind are `X` of the list's apiVersion. */
function itemKindOfList(kind: string): string | undefined {
  return kind !== 'List' && kind.endsWith('List') ? kind.slice(0, -'List'.length) : undefined;
}

export function scanText(
  text: string,
  file: string,
  target: ScanTarget,
  options: ScanTextOptions = {},
): TextScanResult {
  const lineOf = lazyLines(text);
  const locate: Locate = options.locate ?? ((site, lines) => ({ file, line: lines(site.offset) }));
  const findings: Finding[] = [];
  const errors: ScanError[] = [];
  let documents = 0;
  let objects = 0;

  const visitObject = (
    map: YAMLMap,
    document: Document.Parsed,
    where: string,
    inherited?: { apiVersion: string; kind: string },
  ): void => {
    const apiVersionPair = pairOf(map, 'apiVersion');
    const apiVersion = stringAt(map, 'apiVersion') ?? inherited?.apiVersion;
    const kind = stringAt(map, 'kind') ?? inherited?.kind;
    if (apiVersion === undefined || kind === undefined) {
      const missing = [apiVersion === undefined && 'apiVersion', kind === undefined && 'kind'].filter(
        Boolean,
      );
      errors.push({
        file,
        line: lineOf(nodeStart(map)),
        message: `${where} is not a Kubernetes object: no string ${missing.join(' or ')}`,
      });
      return;
    }
    objects++;

    const items = pairOf(map, 'items')?.value;
    if ((kind === 'List' || kind.endsWith('List')) && isSeq(items)) {
      const itemKind = itemKindOfList(kind);
      items.items.forEach((item, i) => {
        if (isMap(item)) {
          visitObject(
            item,
            document,
            `${where}, items[${i}]`,
            itemKind ? { apiVersion, kind: itemKind } : undefined,
          );
        } else {
          errors.push({
            file,
            line: lineOf(nodeStart(item as Node | null)),
            message: `${where}, items[${i}] is not a Kubernetes object: ${describeNode(item)}`,
          });
        }
      });
      return;
    }

    const removal = removalOfKind(apiVersion, kind);
    if (removal === undefined) return;
    const metadata = pairOf(map, 'metadata')?.value;
    const name = isMap(metadata) ? stringAt(metadata, 'name') : undefined;
    const namespace = isMap(metadata) ? stringAt(metadata, 'namespace') : undefined;
    const offset = apiVersionPair?.keyOffset ?? nodeStart(map);
    const at = locate({ offset, apiVersion, kind, name, document }, lineOf);
    findings.push({
      file: at.file,
      line: at.line,
      apiVersion,
      kind,
      ...(name !== undefined && { name }),
      ...(namespace !== undefined && { namespace }),
      resource: removal.resource,
      removedInRelease: removal.removedInRelease,
      ...(removal.deprecatedInRelease !== undefined && { deprecatedInRelease: removal.deprecatedInRelease }),
      ...(removal.replacement !== undefined && { replacement: removal.replacement }),
      ...(removal.notes !== undefined && { notes: removal.notes }),
      severity: compareMinor(removal.removedInRelease, target.kubernetes) <= 0 ? 'blocker' : 'warning',
      ...(options.renderedBy !== undefined && { renderedBy: options.renderedBy }),
    });
  };

  const parsed = parseAllDocuments(text);
  parsed.forEach((document, index) => {
    documents++;
    const where = `document ${index + 1}`;
    const [error] = document.errors;
    if (error !== undefined) {
      const line = error.linePos?.[0].line ?? lineOf(error.pos[0]);
      const message = (error.message.split('\n')[0] ?? error.code).replace(/:$/, '');
      errors.push({ file, line, message: `${where}: invalid YAML: ${message}` });
      return;
    }
    const contents = document.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      documents--; // an empty document (`---` at the end, comments only) holds nothing to check
      return;
    }
    if (!isMap(contents)) {
      errors.push({
        file,
        line: lineOf(nodeStart(contents)),
        message: `${where} is not a Kubernetes object: ${describeNode(contents)}`,
      });
      return;
    }
    visitObject(contents, document, where);
  });
  return { documents, objects, findings, errors };
}
