/** The graph fixtures of these tests, read and parsed. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { UpdateGraph } from '../../../src/readiness/graph/graph.ts';
import { parseGraph } from '../../../src/readiness/graph/parse.ts';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/readiness/graph/${name}`, import.meta.url));
}

export const labGraphFile = fileURLToPath(new URL('../../../src/lab/update-graph.json', import.meta.url));

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function fixture(name: string): UpdateGraph {
  return parseGraph(readJson(fixturePath(name)), name);
}

export function labGraph(): UpdateGraph {
  return parseGraph(readJson(labGraphFile), 'update-graph.json');
}
