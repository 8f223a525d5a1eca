/**
 * Turns a Cincinnati graph document into an UpdateGraph, refusing anything malformed with the
 * location and the rule (`edges[3]: index 17 is out of range (12 nodes)`). Matching rules the CVO
 * would skip are pruned with a warning instead, as the CVO does.
 */
import { Value } from '@sinclair/typebox/value';
import type { ClusterCondition, ConditionalUpdateRisk } from '../../api/config/cluster-version.ts';
import type { ConditionalEdgeGroup, GraphNode, UpdateGraph, VersionPair } from './graph.ts';
import {
  channelsMetadataKey,
  GraphDocument,
  type MatchingRuleDocument,
  type RiskDocument,
} from './schema.ts';
import { compareVersions, versionProblem } from './version.ts';

export interface GraphProblem {
  /** `edges[3]`, `conditionalEdges[0].edges[1].to`, … */
  readonly path: string;
  readonly message: string;
}

const shownProblems = 20;

export class GraphError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly GraphProblem[],
  ) {
    const lines = problems
      .slice(0, shownProblems)
      .map((p) => `  ${p.path === '' ? '(document)' : p.path}: ${p.message}`);
    if (problems.length > shownProblems) lines.push(`  … and ${problems.length - shownProblems} more`);
    super(`invalid update graph ${source}:\n${lines.join('\n')}`);
    this.name = 'GraphError';
  }
}

/** JSON pointer `/nodes/0/metadata/a.b` → `nodes[0].metadata["a.b"]`. */
function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^[0-9]+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function shapeProblems(document: unknown): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(GraphDocument, document)) {
    const path = pointerToPath(error.path);
    // TypeBox reports a missing property twice (required, then wrong type): keep the first.
    if (seen.has(path)) continue;
    seen.add(path);
    const message =
      error.message === 'Expected required property'
        ? 'required field is missing'
        : error.value === undefined
          ? error.message
          : `${error.message}, got ${JSON.stringify(error.value)}`;
    problems.push({ path, message });
  }
  return problems;
}

function channelsOf(metadata: Readonly<Record<string, string>>): string[] {
  const listed = metadata[channelsMetadataKey];
  if (listed === undefined) return [];
  return [
    ...new Set(
      listed
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ].sort();
}

interface Checked {
  readonly problems: GraphProblem[];
  readonly warnings: string[];
}

function checkNodes(document: GraphDocument, checked: Checked): Map<string, number> {
  const byVersion = new Map<string, number>();
  document.nodes.forEach((node, i) => {
    const problem = versionProblem(node.version);
    if (problem !== undefined) {
      checked.problems.push({ path: `nodes[${i}].version`, message: problem });
      return;
    }
    const first = byVersion.get(node.version);
    if (first !== undefined) {
      checked.problems.push({
        path: `nodes[${i}].version`,
        message: `duplicate version ${node.version} (also nodes[${first}])`,
      });
      return;
    }
    byVersion.set(node.version, i);
  });
  return byVersion;
}

function checkEdges(document: GraphDocument, checked: Checked): void {
  const count = document.nodes.length;
  const seen = new Map<string, number>();
  document.edges.forEach(([from, to], i) => {
    const path = `edges[${i}]`;
    const outOfRange = [from, to].filter((index) => index >= count);
    if (outOfRange.length > 0) {
      for (const index of outOfRange)
        checked.problems.push({ path, message: `index ${index} is out of range (${count} nodes)` });
      return;
    }
    const a = document.nodes[from]?.version ?? '';
    const b = document.nodes[to]?.version ?? '';
    if (versionProblem(a) !== undefined || versionProblem(b) !== undefined) return;
    if (from === to) {
      checked.problems.push({ path, message: `[${from}, ${to}] is an update from ${a} to itself` });
      return;
    }
    if (compareVersions(a, b) >= 0) {
      checked.problems.push({
        path,
        message: `${a} → ${b} is not an update to a newer release (OpenShift does not downgrade)`,
      });
      return;
    }
    const key = `${from},${to}`;
    const first = seen.get(key);
    if (first !== undefined) {
      checked.problems.push({ path, message: `duplicate of edges[${first}] (${a} → ${b})` });
      return;
    }
    seen.set(key, i);
  });
}

/**
 * The CVO's PruneInvalid: unknown types are skipped and so are rules its condition types reject,
 * with their messages. Returns the rules kept.
 */
function pruneRules(
  rules: readonly MatchingRuleDocument[],
  path: string,
  checked: Checked,
): ClusterCondition[] {
  const kept: ClusterCondition[] = [];
  rules.forEach((rule, k) => {
    const at = `${path}.matchingRules[${k}]`;
    if (rule.type === 'Always') {
      if (rule.promql !== undefined)
        checked.warnings.push(`${at}: the 'promql' property is not valid for 'type: Always' conditions`);
      else kept.push({ type: 'Always' });
    } else if (rule.type === 'PromQL') {
      if (rule.promql === undefined)
        checked.warnings.push(`${at}: the 'promql' property is required for 'type: PromQL' conditions`);
      else if (rule.promql.promql === '')
        checked.warnings.push(
          `${at}: the 'promql.promql' query string must be non-empty for 'type: PromQL' conditions`,
        );
      else kept.push({ type: 'PromQL', promql: { promql: rule.promql.promql } });
    } else {
      checked.warnings.push(
        `${at}: Skipping unrecognized cluster condition type ${JSON.stringify(rule.type)}`,
      );
    }
  });
  return kept;
}

function checkEndpoint(
  version: string,
  path: string,
  byVersion: ReadonlyMap<string, number>,
  checked: Checked,
): boolean {
  const problem = versionProblem(version);
  if (problem !== undefined) {
    checked.problems.push({ path, message: problem });
    return false;
  }
  if (!byVersion.has(version)) {
    checked.problems.push({ path, message: `unknown version ${version} (no node has it)` });
    return false;
  }
  return true;
}

interface ConditionalResult {
  readonly groups: ConditionalEdgeGroup[];
  readonly dropped: VersionPair[];
}

function checkConditionalEdges(
  document: GraphDocument,
  byVersion: ReadonlyMap<string, number>,
  checked: Checked,
): ConditionalResult {
  const result: ConditionalResult = { groups: [], dropped: [] };
  const seen = new Map<string, string>();
  (document.conditionalEdges ?? []).forEach((group, g) => {
    const at = `conditionalEdges[${g}]`;
    const edges: VersionPair[] = [];
    group.edges.forEach((edge, e) => {
      const path = `${at}.edges[${e}]`;
      const fromOk = checkEndpoint(edge.from, `${path}.from`, byVersion, checked);
      const toOk = checkEndpoint(edge.to, `${path}.to`, byVersion, checked);
      if (!fromOk || !toOk) return;
      if (compareVersions(edge.from, edge.to) >= 0) {
        checked.problems.push({
          path,
          message: `${edge.from} → ${edge.to} is not an update to a newer release (OpenShift does not downgrade)`,
        });
        return;
      }
      const key = `${edge.from} → ${edge.to}`;
      const first = seen.get(key);
      if (first !== undefined) {
        // The CVO would drop every copy; one entry per edge, carrying all its risks, is the format.
        checked.problems.push({
          path,
          message: `duplicate conditional edge ${key} (also ${first}); list all of an edge's risks in one entry`,
        });
        return;
      }
      seen.set(key, path);
      edges.push({ from: edge.from, to: edge.to });
    });
    const names = new Map<string, number>();
    const risks: ConditionalUpdateRisk[] = [];
    let droppedBy: string | undefined;
    group.risks.forEach((risk: RiskDocument, r) => {
      const path = `${at}.risks[${r}]`;
      const first = names.get(risk.name);
      if (first !== undefined) {
        checked.problems.push({
          path: `${path}.name`,
          message: `duplicate risk name ${JSON.stringify(risk.name)} (also ${at}.risks[${first}])`,
        });
        return;
      }
      names.set(risk.name, r);
      const matchingRules = pruneRules(risk.matchingRules, path, checked);
      if (matchingRules.length === 0) droppedBy ??= path;
      risks.push({ url: risk.url, name: risk.name, message: risk.message, matchingRules });
    });
    if (droppedBy !== undefined) {
      checked.warnings.push(
        `${droppedBy}: no matching rule left that the CVO understands; it drops these conditional updates: ${edges
          .map((e) => `${e.from} → ${e.to}`)
          .join(', ')}`,
      );
      result.dropped.push(...edges);
    } else if (edges.length > 0) {
      result.groups.push({ edges, risks });
    }
  });
  return result;
}

/** `source` names the file or URL in error messages. */
export function parseGraph(document: unknown, source = '(inline)'): UpdateGraph {
  if (!Value.Check(GraphDocument, document)) throw new GraphError(source, shapeProblems(document));
  const valid = document;
  const checked: Checked = { problems: [], warnings: [] };
  const byVersion = checkNodes(valid, checked);
  checkEdges(valid, checked);
  const conditional = checkConditionalEdges(valid, byVersion, checked);
  if (checked.problems.length > 0) throw new GraphError(source, checked.problems);
  const nodes: GraphNode[] = valid.nodes.map((node) => {
    const metadata = node.metadata ?? {};
    return { version: node.version, payload: node.payload, metadata, channels: channelsOf(metadata) };
  });
  return {
    nodes,
    edges: valid.edges.map(([from, to]) => [from, to] as const),
    conditionalEdges: conditional.groups,
    droppedEdges: conditional.dropped,
    warnings: checked.warnings,
  };
}
