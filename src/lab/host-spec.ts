/**
 * The text form of a lab host, as `lcm lab up --host` takes it:
 * `<name>=<release>[,<fact>=<value>…]`, e.g. `sno3=4.14.13,cores=8,disk=40Gi,fips=true`.
 * The facts are those the image-based upgrade's compatibility checks compare (IBU-11 … IBU-13), so
 * a lab can rehearse a mismatch; the same text is how `lab up` hands hosts to the supervisor.
 */
import type { IpStack } from '../host/host.ts';
import type { LabHostSpec } from './state.ts';

const ipStacks: readonly IpStack[] = ['ipv4', 'ipv6', 'dual'];

/** Each settable fact: what it means (for --help) and how its value is read into a spec. */
const factReaders: Readonly<
  Record<string, { readonly help: string; read(value: string, spec: MutableSpec): void }>
> = {
  cores: {
    help: 'CPU cores (default 16)',
    read: (value, spec) => {
      const cores = Number(value);
      if (!Number.isInteger(cores) || cores < 1) throw new Error('must be a positive integer');
      spec.facts.cpuCores = cores;
    },
  },
  'reserved-cpus': {
    help: "the performance profile's reserved CPU set, e.g. 0-1 (default none)",
    read: (value, spec) => {
      if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) throw new Error('must be a CPU set such as 0-1 or 0,2');
      spec.facts.reservedCpus = value;
    },
  },
  fips: {
    help: 'true or false (default false)',
    read: (value, spec) => {
      if (value !== 'true' && value !== 'false') throw new Error('must be true or false');
      spec.facts.fips = value === 'true';
    },
  },
  'ip-stack': {
    help: `${ipStacks.join(', ')} (default ipv4)`,
    read: (value, spec) => {
      const stack = ipStacks.find((s) => s === value);
      if (stack === undefined) throw new Error(`must be one of ${ipStacks.join(', ')}`);
      spec.facts.ipStack = stack;
    },
  },
  'mirror-registry': {
    help: 'host[:port] of the registry a disconnected cluster pulls from (default none)',
    read: (value, spec) => {
      if (!/^[a-z0-9.-]+(:\d+)?$/i.test(value)) throw new Error('must be host[:port]');
      spec.facts.mirrorRegistry = value;
    },
  },
  'http-proxy': {
    help: 'the cluster-wide proxy for http (default none)',
    read: (value, spec) => {
      spec.facts.proxy = { ...spec.facts.proxy, httpProxy: url(value) };
    },
  },
  'https-proxy': {
    help: 'the cluster-wide proxy for https (default none)',
    read: (value, spec) => {
      spec.facts.proxy = { ...spec.facts.proxy, httpsProxy: url(value) };
    },
  },
  disk: {
    help: 'size of /var/lib/containers, e.g. 512Mi, 40Gi (default 100Gi)',
    read: (value, spec) => {
      spec.capacityBytes = byteSize(value);
    },
  },
};

type MutableSpec = {
  facts: { -readonly [K in keyof NonNullable<LabHostSpec['facts']>]?: NonNullable<LabHostSpec['facts']>[K] };
  capacityBytes?: number;
};

function url(value: string): string {
  if (!URL.canParse(value)) throw new Error('must be a URL such as http://proxy.example:3128');
  return value;
}

const units: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

function byteSize(value: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(value);
  const unit = units[match?.[2] ?? ''];
  if (match === null || unit === undefined) throw new Error('must be a size such as 512Mi or 40Gi');
  return Number(match[1]) * unit;
}

/** One line per fact for `lcm lab up --help`. */
export const hostFactsHelp = Object.entries(factReaders)
  .map(([name, { help }]) => `  ${name.padEnd(16)} ${help}`)
  .join('\n');

export function parseHostSpec(text: string): LabHostSpec {
  const [head = '', ...factTexts] = text.split(',');
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(\d+\.\d+\.\d+)$/.exec(head);
  if (!match)
    throw new Error(`--host ${text}: expected <name>=<release>[,<fact>=<value>…], e.g. sno1=4.14.13`);
  const spec: MutableSpec = { facts: {} };
  for (const factText of factTexts) {
    const at = factText.indexOf('=');
    const name = at < 0 ? factText : factText.slice(0, at);
    const reader = factReaders[name];
    if (reader === undefined)
      throw new Error(`--host ${text}: unknown fact ${name}; known: ${Object.keys(factReaders).join(', ')}`);
    try {
      reader.read(factText.slice(at + 1), spec);
    } catch (error) {
      throw new Error(`--host ${text}: ${name} ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    name: match[1] ?? '',
    version: match[3] ?? '',
    ...(Object.keys(spec.facts).length > 0 ? { facts: spec.facts } : {}),
    ...(spec.capacityBytes !== undefined ? { capacityBytes: spec.capacityBytes } : {}),
  };
}

/** The inverse of parseHostSpec (for the supervisor's command line). */
export function formatHostSpec(spec: LabHostSpec): string {
  const facts = spec.facts ?? {};
  const parts = [`${spec.name}=${spec.version}`];
  if (facts.cpuCores !== undefined) parts.push(`cores=${facts.cpuCores}`);
  if (facts.reservedCpus != null) parts.push(`reserved-cpus=${facts.reservedCpus}`);
  if (facts.fips !== undefined) parts.push(`fips=${String(facts.fips)}`);
  if (facts.ipStack !== undefined) parts.push(`ip-stack=${facts.ipStack}`);
  if (facts.mirrorRegistry != null) parts.push(`mirror-registry=${facts.mirrorRegistry}`);
  if (facts.proxy?.httpProxy !== undefined) parts.push(`http-proxy=${facts.proxy.httpProxy}`);
  if (facts.proxy?.httpsProxy !== undefined) parts.push(`https-proxy=${facts.proxy.httpsProxy}`);
  if (spec.capacityBytes !== undefined) parts.push(`disk=${spec.capacityBytes}`);
  return parts.join(',');
}
