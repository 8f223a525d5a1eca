/**
 * Offline API-removal scan benchmark (issue 5): `scanPaths` over a generated manifest repository
 * against the limit for the same corpus in the same run, reading every file and parsing it with
 * `yaml`'s parseAllDocuments and nothing else.
 *
 *   node --import tsx bench/readiness/main.ts [--quick] [--objects N]
 *
 * Goal: scan throughput ≥ 0.5 × plain parsing. `--quick` uses 2,000 manifests instead of 12,000.
 * Each measurement is repeated (best of three, plain and scan alternating which goes first) after one warm-up of each,
 * so both see the files in the page cache.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { scanPaths, type ScanReport } from '../../src/readiness/scan/index.ts';
import { writeCorpus, type Corpus } from './corpus.ts';
import { left, renderTable, right } from '../support/table.ts';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, objects: { type: 'string' } },
});
const quick = flags.quick === true;
const objects = flags.objects !== undefined ? Number(flags.objects) : quick ? 2_000 : 12_000;
if (!Number.isInteger(objects) || objects < 1) {
  process.stderr.write(`--objects must be a positive integer, not '${flags.objects ?? ''}'\n`);
  process.exit(2);
}
const rounds = 3;
const target = '4.14';

function progress(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}

interface Run {
  readonly ms: number;
  readonly documents: number;
}

/** The limit: read each file and parse all its documents; no walking, no checks, no reporting. */
function plainParse(files: readonly string[]): Run {
  const started = performance.now();
  let documents = 0;
  for (const file of files) documents += parseAllDocuments(readFileSync(file, 'utf8')).length;
  return { ms: performance.now() - started, documents };
}

async function scan(dir: string): Promise<{ run: Run; report: ScanReport }> {
  const started = performance.now();
  const report = await scanPaths([dir], { targetOpenShift: target });
  return { run: { ms: performance.now() - started, documents: report.scanned.documents }, report };
}

function check(corpus: Corpus, report: ScanReport): void {
  const problems: string[] = [];
  if (report.scanned.files !== corpus.files.length) {
    problems.push(`scanned ${report.scanned.files} files, wrote ${corpus.files.length}`);
  }
  if (report.summary.blockers !== corpus.removedBy127) {
    problems.push(`found ${report.summary.blockers} blockers, wrote ${corpus.removedBy127}`);
  }
  if (report.summary.warnings !== corpus.removedLater) {
    problems.push(`found ${report.summary.warnings} warnings, wrote ${corpus.removedLater}`);
  }
  if (report.errors.length > 0)
    problems.push(`${report.errors.length} errors, first: ${report.errors[0]?.message}`);
  if (problems.length > 0) throw new Error(`the scan disagrees with the corpus: ${problems.join('; ')}`);
}

const perSecond = (n: number, ms: number): string => Math.round((n * 1000) / ms).toLocaleString('en-US');
const mb = (bytes: number): number => bytes / 1e6;

function environment(corpus: Corpus, documents: number): string {
  const cpus = os.cpus();
  return [
    `lcm readiness scan benchmark (${quick ? 'quick' : 'default'} run, ${new Date().toISOString()})`,
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `corpus: ${corpus.files.length.toLocaleString('en-US')} files, ${documents.toLocaleString('en-US')} YAML documents, ` +
      `${corpus.objects.toLocaleString('en-US')} manifests (${corpus.removedBy127} on APIs removed by Kubernetes 1.27, ` +
      `${corpus.removedLater} removed later), ${mb(corpus.bytes).toFixed(1)} MB`,
    '',
  ].join('\n');
}

const workDir = await mkdtemp(path.join(os.tmpdir(), 'lcm-bench-readiness-'));
try {
  progress(`writing ${objects.toLocaleString('en-US')} manifests to ${workDir}`);
  const corpus = await writeCorpus(workDir, objects);

  progress('warm-up');
  plainParse(corpus.files);
  check(corpus, (await scan(workDir)).report);

  let plainBest: Run | undefined;
  let scanBest: Run | undefined;
  for (let round = 1; round <= rounds; round++) {
    // Alternate which goes first, so neither always inherits the other's garbage to collect.
    let plain: Run;
    let scanned: Run;
    if (round % 2 === 1) {
      plain = plainParse(corpus.files);
      scanned = (await scan(workDir)).run;
    } else {
      scanned = (await scan(workDir)).run;
      plain = plainParse(corpus.files);
    }
    progress(`round ${round}: plain ${plain.ms.toFixed(0)} ms, scan ${scanned.ms.toFixed(0)} ms`);
    if (plainBest === undefined || plain.ms < plainBest.ms) plainBest = plain;
    if (scanBest === undefined || scanned.ms < scanBest.ms) scanBest = scanned;
  }
  if (plainBest === undefined || scanBest === undefined) throw new Error('no rounds ran');

  const row = (label: string, run: Run): string[] => [
    label,
    (run.ms / 1000).toFixed(3),
    perSecond(corpus.files.length, run.ms),
    (mb(corpus.bytes) / (run.ms / 1000)).toFixed(1),
    perSecond(run.documents, run.ms),
  ];
  const ratio = plainBest.ms / scanBest.ms;
  process.stdout.write(
    [
      environment(corpus, plainBest.documents),
      renderTable(
        `Scan vs plain YAML parsing, same corpus, same run (best of ${rounds})`,
        [left('what'), right('s'), right('files/s'), right('MB/s'), right('documents/s')],
        [
          row('plain: readFileSync + parseAllDocuments', plainBest),
          row(`scanPaths --to ${target} (walk, read, parse, check)`, scanBest),
        ],
        [
          `scan/plain throughput: ${ratio.toFixed(2)} (goal ≥ 0.50) ${ratio >= 0.5 ? 'met' : 'NOT MET'}`,
          'plain is handed the file list; the scan walks the directory tree itself, checks every object',
          'against the removal data and builds the report. Findings were checked against what the corpus holds.',
        ],
      ),
    ].join('\n'),
  );
  if (ratio < 0.5) process.exitCode = 1;
} finally {
  await rm(workDir, { recursive: true, force: true });
}
