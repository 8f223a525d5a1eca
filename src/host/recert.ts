/**
 * Certificate regeneration ("recert") for image-based upgrades. A target cluster is rebuilt from a
 * seed cluster's state, so before it starts every key, certificate and identity string it inherited
 * must become its own; otherwise every cluster upgraded from one seed would share CAs and keys.
 * Upstream runs rh-ecosystem-edge/recert against etcd; lcm transforms the API server's backing dump
 * (`{ items: [{ key, value }] }`, keys like `core/secrets/<ns>/<name>`) the same way:
 *
 * - every PEM certificate found in Secret data, ConfigMap data and `caBundle` fields is re-issued with
 *   a new key and serial, the same subject, extensions and validity length, its names rewritten from
 *   the seed's identity to the target's, and signed by the new CA that replaces its seed issuer;
 * - a seed CA is replaced when the state holds its key or it issued a certificate of the state; a CA
 *   that only appears in trust bundles (a corporate or public root) is external and kept as it is;
 * - every private key is replaced by a new key of the same type (in the same PEM format), and a
 *   public key PEM of a replaced key by the new public key (service-account token signing keys);
 * - the seed's cluster name and base domain, hostname, node IP, cluster ID and infrastructure name
 *   are replaced in every string of every object (outside PEM blocks) and in object names.
 *
 * Only keys, serials and UUIDs are random; everything else follows from the input.
 */
import { createPrivateKey, createPublicKey, randomUUID, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

import { isRecord } from '../client/object.ts';
import type { Extension, ParsedCertificate, PemBlock, PrivateKeyLabel, SigningAuthority } from './x509.ts';
import {
  OID,
  basicConstraintsExtension,
  bytesToIp,
  decodeName,
  encodeName,
  exportPrivateKey,
  generateKey,
  ipToBytes,
  keyTypeOf,
  keyUsageExtension,
  parseCertificate,
  readDer,
  readSubjectAltNames,
  signCertificate,
  spkiDer,
  splitPem,
  subjectAltNameExtension,
  subjectKeyId,
  toPem,
} from './x509.ts';

import type { ClusterStateDump, ClusterStateItem } from './cluster-state.ts';

export type { ClusterStateDump, ClusterStateItem };

export interface ClusterIdentity {
  readonly clusterName: string;
  readonly baseDomain: string;
  readonly hostname: string;
  readonly nodeIP: string;
}

export interface RecertOptions extends ClusterIdentity {
  readonly seed: ClusterIdentity;
  /** When the new certificates' validity starts; now by default. */
  readonly now?: Date;
}

export interface RegeneratedCertificate {
  /** The new subject and issuer, `O=…, CN=…`. */
  readonly subject: string;
  readonly issuer: string;
  readonly isCA: boolean;
  /** Where the seed certificate was found: `<key>#<path>`, e.g. `core/secrets/ns/name#data.tls.crt`. */
  readonly locations: readonly string[];
  /** Null for a CA made up for a seed issuer the state does not contain. */
  readonly oldFingerprint256: string | null;
  readonly newFingerprint256: string;
}

export interface KeptCertificate {
  readonly subject: string;
  readonly fingerprint256: string;
  readonly locations: readonly string[];
}

export interface IdentityReplacement {
  readonly from: string;
  readonly to: string;
  readonly occurrences: number;
}

export interface RecertSummary {
  readonly certificateAuthorities: readonly RegeneratedCertificate[];
  readonly certificates: readonly RegeneratedCertificate[];
  /** External CAs, kept because the seed neither holds their key nor issued with them. */
  readonly keptCertificates: readonly KeptCertificate[];
  /** Distinct seed keys replaced by new ones. */
  readonly keysRegenerated: number;
  readonly clusterID?: { readonly from: string; readonly to: string };
  readonly identity: readonly IdentityReplacement[];
  readonly renamedKeys: readonly { readonly from: string; readonly to: string }[];
  readonly warnings: readonly string[];
}

export interface RecertResult {
  readonly dump: ClusterStateDump;
  readonly summary: RecertSummary;
}

const privateKeyTypes: Readonly<Record<PrivateKeyLabel, 'pkcs8' | 'sec1' | 'pkcs1'>> = {
  'PRIVATE KEY': 'pkcs8',
  'EC PRIVATE KEY': 'sec1',
  'RSA PRIVATE KEY': 'pkcs1',
};

const isPrivateKeyLabel = (label: string): label is PrivateKeyLabel => label in privateKeyTypes;

const dayMs = 24 * 60 * 60 * 1000;
/** Validity of a CA made up for a seed issuer whose certificate the state does not hold. */
const syntheticCaValidityMs = 3650 * dayMs;

export function recertClusterState(dump: ClusterStateDump, options: RecertOptions): RecertResult {
  validateIdentity(options, 'target');
  validateIdentity(options.seed, 'seed');
  const warnings: string[] = [];
  const inventory = takeInventory(dump, warnings);
  const identity = identityRewriter(options, dump);
  const regeneration = new Regeneration(inventory, identity, options, warnings);
  regeneration.regenerateAll();

  const renamedKeys: { from: string; to: string }[] = [];
  const items = dump.items.map((item) => {
    const key = renameKey(item.key, identity);
    if (key !== item.key) renamedKeys.push({ from: item.key, to: key });
    const value = walkItem(item, {
      text: (text) => rewriteText(text, identity, (block) => regeneration.replacePem(block)),
      key: (name) => identity.replaceText(name),
    });
    return { key, value };
  });

  return {
    dump: { items },
    summary: {
      certificateAuthorities: regeneration.summaries.filter((s) => s.isCA),
      certificates: regeneration.summaries.filter((s) => !s.isCA),
      keptCertificates: regeneration.kept,
      keysRegenerated: regeneration.seedKeysReplaced(),
      ...(identity.clusterID === undefined ? {} : { clusterID: identity.clusterID }),
      identity: identity.counts(),
      renamedKeys,
      warnings,
    },
  };
}

function validateIdentity(identity: ClusterIdentity, which: 'target' | 'seed'): void {
  for (const field of ['clusterName', 'baseDomain', 'hostname', 'nodeIP'] as const) {
    if (typeof identity[field] !== 'string' || identity[field] === '')
      throw new Error(`recert: the ${which} cluster's ${field} is required`);
  }
  if (isIP(identity.nodeIP) === 0)
    throw new Error(
      `recert: the ${which} cluster's nodeIP ${JSON.stringify(identity.nodeIP)} is not an IP address`,
    );
}

// ---------------------------------------------------------------------------------------------
// Walking the state: where PEM text lives

interface Visitor {
  /** Transforms a text value (already base64-decoded where the field is base64). */
  text(text: string, location: string): string;
  /** Transforms an object's property name. */
  key(name: string): string;
}

function walkItem(item: ClusterStateItem, visitor: Visitor): unknown {
  const isSecret = item.key.startsWith('core/secrets/');
  const walk = (value: unknown, path: string, base64: boolean): unknown => {
    if (typeof value === 'string') {
      const location = `${item.key}#${path}`;
      return base64
        ? transformBase64(value, (text) => visitor.text(text, location))
        : visitor.text(value, location);
    }
    if (Array.isArray(value)) return value.map((entry, i) => walk(entry, `${path}[${i}]`, false));
    if (typeof value !== 'object' || value === null) return value;
    const result: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(value)) {
      const childPath = path === '' ? name : `${path}.${name}`;
      // Secret data and caBundle fields (webhooks, APIServices, CRD conversion) hold base64.
      const childBase64 = (isSecret && path === 'data') || name === 'caBundle';
      result[visitor.key(name)] = walk(entry, childPath, childBase64);
    }
    return result;
  };
  return walk(item.value, '', false);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Transforms base64 that encodes text; binary or malformed values stay as they are. */
function transformBase64(value: string, transform: (text: string) => string): string {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return value;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return value;
  }
  if (isBinary(text)) return value;
  const transformed = transform(text);
  return transformed === text ? value : Buffer.from(transformed, 'utf8').toString('base64');
}

/** Control characters other than tab, line feed and carriage return mark bytes that are not text. */
function isBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

function rewriteText(
  text: string,
  identity: IdentityRewriter,
  pem: (block: PemBlock) => string | undefined,
): string {
  if (!text.includes('-----BEGIN ')) return identity.replaceText(text);
  const parts = splitPem(text);
  let changed = false;
  const rewritten = parts.map((part) => {
    if (typeof part === 'string') {
      const replaced = identity.replaceText(part);
      changed ||= replaced !== part;
      return replaced;
    }
    const replaced = pem(part);
    changed ||= replaced !== undefined;
    return replaced ?? part.text;
  });
  // Untouched text keeps its original bytes (line lengths, CRLF) rather than a re-encoding.
  return changed ? rewritten.join('') : text;
}

// ---------------------------------------------------------------------------------------------
// Inventory: the seed's certificates and keys

interface SeedCertificate {
  readonly fingerprint: string;
  readonly parsed: ParsedCertificate;
  readonly x509: X509Certificate;
  readonly locations: string[];
}

interface Inventory {
  /** By SHA-256 of the DER, in order of first appearance. */
  readonly certificates: Map<string, SeedCertificate>;
  /** SPKI (hex) of every private key in the state. */
  readonly privateKeys: Set<string>;
}

function takeInventory(dump: ClusterStateDump, warnings: string[]): Inventory {
  const certificates = new Map<string, SeedCertificate>();
  const privateKeys = new Set<string>();
  const record = (block: PemBlock, location: string): void => {
    if (block.label === 'CERTIFICATE') {
      const fingerprint = new X509Certificate(block.der).fingerprint256;
      const known = certificates.get(fingerprint);
      if (known !== undefined) known.locations.push(location);
      else
        certificates.set(fingerprint, {
          fingerprint,
          parsed: parseCertificate(block.der),
          x509: new X509Certificate(block.der),
          locations: [location],
        });
    } else if (isPrivateKeyLabel(block.label)) {
      const key = createPrivateKey({ key: block.der, format: 'der', type: privateKeyTypes[block.label] });
      privateKeys.add(spkiDer(key).toString('hex'));
    } else if (block.label === 'ENCRYPTED PRIVATE KEY') {
      warnings.push(`${location}: an encrypted private key cannot be regenerated and was left as it is`);
    }
  };
  for (const item of dump.items) {
    walkItem(item, {
      text: (text, location) => {
        if (text.includes('-----BEGIN '))
          for (const part of splitPem(text)) {
            if (typeof part === 'string') continue;
            try {
              record(part, location);
            } catch (error) {
              const reason = error instanceof Error ? error.message : String(error);
              warnings.push(`${location}: unreadable ${part.label} left as it is (${reason})`);
            }
          }
        return text;
      },
      key: (name) => name,
    });
  }
  return { certificates, privateKeys };
}

// ---------------------------------------------------------------------------------------------
// Regeneration

interface NewCertificate {
  readonly der: Buffer;
  readonly authority: SigningAuthority;
}

class Regeneration {
  readonly summaries: RegeneratedCertificate[] = [];
  readonly kept: KeptCertificate[] = [];
  private readonly issuers = new Map<SeedCertificate, SeedCertificate | undefined>();
  private readonly owned = new Set<SeedCertificate>();
  private readonly regenerated = new Map<SeedCertificate, NewCertificate>();
  private readonly syntheticAuthorities = new Map<string, SigningAuthority>();
  /** New key for each seed key, by the seed key's SPKI (hex). */
  private readonly newKeys = new Map<string, KeyObject>();
  private readonly notBefore: Date;

  constructor(
    private readonly inventory: Inventory,
    private readonly identity: IdentityRewriter,
    private readonly options: RecertOptions,
    private readonly warnings: string[],
  ) {
    this.notBefore = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  }

  regenerateAll(): void {
    const all = [...this.inventory.certificates.values()];
    for (const certificate of all) {
      const holdsKey = this.inventory.privateKeys.has(
        certificate.parsed.subjectPublicKeyInfo.toString('hex'),
      );
      if (!certificate.parsed.isCA || holdsKey) this.markOwned(certificate);
    }
    for (const certificate of all) {
      if (this.owned.has(certificate)) this.regenerate(certificate);
      else
        this.kept.push({
          subject: subjectText(certificate.x509),
          fingerprint256: certificate.fingerprint,
          locations: certificate.locations,
        });
    }
  }

  seedKeysReplaced(): number {
    return this.newKeys.size;
  }

  /** The replacement of a PEM block, or undefined to keep it. */
  replacePem(block: PemBlock): string | undefined {
    if (block.label === 'CERTIFICATE') {
      const seed = this.seedCertificate(block.der);
      const regenerated = seed === undefined ? undefined : this.regenerated.get(seed);
      return regenerated === undefined ? undefined : toPem('CERTIFICATE', regenerated.der);
    }
    if (isPrivateKeyLabel(block.label)) {
      const seedKey = createPrivateKey({ key: block.der, format: 'der', type: privateKeyTypes[block.label] });
      return exportPrivateKey(this.newKeyFor(spkiDer(seedKey)), block.label);
    }
    if (block.label === 'PUBLIC KEY' || block.label === 'RSA PUBLIC KEY') {
      const seedKey = createPublicKey({
        key: block.der,
        format: 'der',
        type: block.label === 'PUBLIC KEY' ? 'spki' : 'pkcs1',
      });
      const spki = spkiDer(seedKey);
      if (!this.inventory.privateKeys.has(spki.toString('hex'))) return undefined;
      const fresh = createPublicKey(this.newKeyFor(spki));
      return block.label === 'PUBLIC KEY'
        ? toPem('PUBLIC KEY', spkiDer(fresh))
        : fresh.export({ type: 'pkcs1', format: 'pem' }).toString();
    }
    return undefined;
  }

  private seedCertificate(der: Buffer): SeedCertificate | undefined {
    try {
      return this.inventory.certificates.get(new X509Certificate(der).fingerprint256);
    } catch {
      return undefined;
    }
  }

  private newKeyFor(seedSpki: Buffer): KeyObject {
    const id = seedSpki.toString('hex');
    let key = this.newKeys.get(id);
    if (key === undefined) {
      key = generateKey(keyTypeOf(createPublicKey({ key: seedSpki, format: 'der', type: 'spki' })));
      this.newKeys.set(id, key);
    }
    return key;
  }

  /** The seed CA that signed a certificate: the certificate itself when self-signed. */
  private issuerOf(certificate: SeedCertificate): SeedCertificate | undefined {
    if (this.issuers.has(certificate)) return this.issuers.get(certificate);
    const signedBy = (ca: SeedCertificate) =>
      ca.parsed.isCA &&
      ca.parsed.subject.equals(certificate.parsed.issuer) &&
      certificate.x509.verify(ca.x509.publicKey);
    const { parsed, x509 } = certificate;
    // A self-signed certificate (CA or not) is its own issuer, even when a cross-signed copy exists.
    const selfSigned = parsed.subject.equals(parsed.issuer) && x509.verify(x509.publicKey);
    const issuer = selfSigned ? certificate : [...this.inventory.certificates.values()].find(signedBy);
    this.issuers.set(certificate, issuer);
    return issuer;
  }

  private markOwned(certificate: SeedCertificate): void {
    for (let current: SeedCertificate | undefined = certificate; current !== undefined;) {
      if (this.owned.has(current)) return;
      this.owned.add(current);
      const issuer = this.issuerOf(current);
      current = issuer === current ? undefined : issuer;
    }
  }

  private regenerate(seed: SeedCertificate): NewCertificate {
    const done = this.regenerated.get(seed);
    if (done !== undefined) return done;
    const issuer = this.issuerOf(seed);
    const authority =
      issuer === seed
        ? undefined
        : issuer === undefined
          ? this.syntheticAuthority(seed)
          : this.regenerate(issuer).authority;
    const key = this.newKeyFor(seed.parsed.subjectPublicKeyInfo);
    const { parsed } = seed;
    const has = (id: string) => parsed.extensions.some((e) => e.oid === id);
    const extensions = parsed.extensions
      .filter((e) => e.oid !== OID.subjectKeyIdentifier && e.oid !== OID.authorityKeyIdentifier)
      .map((e) => (e.oid === OID.subjectAltName ? this.rewriteSubjectAltNames(e) : e));
    const subject = this.rewriteName(parsed.subject);
    const der = signCertificate(
      {
        subject,
        publicKey: createPublicKey(key),
        notBefore: this.notBefore,
        notAfter: new Date(
          this.notBefore.getTime() + (parsed.notAfter.getTime() - parsed.notBefore.getTime()),
        ),
        extensions,
        omitSubjectKeyId: !has(OID.subjectKeyIdentifier),
        omitAuthorityKeyId: !has(OID.authorityKeyIdentifier),
      },
      authority,
      key,
    );
    const regenerated: NewCertificate = {
      der,
      authority: { subject, privateKey: key, keyId: subjectKeyId(key) },
    };
    this.regenerated.set(seed, regenerated);
    const x509 = new X509Certificate(der);
    this.summaries.push({
      subject: subjectText(x509),
      issuer: x509.issuer.split('\n').join(', '),
      isCA: parsed.isCA,
      locations: seed.locations,
      oldFingerprint256: seed.fingerprint,
      newFingerprint256: x509.fingerprint256,
    });
    return regenerated;
  }

  /**
   * A seed certificate whose issuer the state does not hold still must not keep a seed signature:
   * one new CA per missing issuer name signs all such certificates.
   */
  private syntheticAuthority(seed: SeedCertificate): SigningAuthority {
    const id = seed.parsed.issuer.toString('hex');
    const known = this.syntheticAuthorities.get(id);
    if (known !== undefined) return known;
    const key = generateKey('ecdsa-p256');
    const subject = this.rewriteName(seed.parsed.issuer);
    const der = signCertificate(
      {
        subject,
        publicKey: createPublicKey(key),
        notBefore: this.notBefore,
        notAfter: new Date(this.notBefore.getTime() + syntheticCaValidityMs),
        extensions: [
          keyUsageExtension(['digitalSignature', 'keyCertSign', 'cRLSign']),
          basicConstraintsExtension(true),
        ],
      },
      undefined,
      key,
    );
    const authority = { subject, privateKey: key, keyId: subjectKeyId(key) };
    this.syntheticAuthorities.set(id, authority);
    const x509 = new X509Certificate(der);
    this.warnings.push(
      `the issuer ${x509.subject.split('\n').join(', ')} of ${subjectText(seed.x509)} is not in the state: ` +
        'a new CA was made for it, which no trust bundle of the state holds',
    );
    this.summaries.push({
      subject: subjectText(x509),
      issuer: subjectText(x509),
      isCA: true,
      locations: [],
      oldFingerprint256: null,
      newFingerprint256: x509.fingerprint256,
    });
    return authority;
  }

  private rewriteName(der: Buffer): Buffer {
    const name = decodeName(der);
    let changed = false;
    const rewritten = name.map((rdn) =>
      rdn.map((attribute) => {
        const value = this.identity.replaceText(attribute.value);
        if (value === attribute.value) return attribute;
        changed = true;
        return {
          ...attribute,
          tag: attribute.tag === 0x13 && !isPrintable(value) ? 0x0c : attribute.tag,
          value,
        };
      }),
    );
    // An unchanged Name keeps its exact bytes, so chains to kept certificates still match.
    return changed ? encodeName(rewritten) : der;
  }

  private rewriteSubjectAltNames(extension: Extension): Extension {
    const names = readSubjectAltNames(extension.value);
    const seedIP = bytesToIp(ipToBytes(this.options.seed.nodeIP));
    const rewritten = subjectAltNameExtension({
      dnsNames: names.dnsNames.map((name) => this.identity.replaceText(name)),
      ipAddresses: names.ipAddresses.map((ip) => (ip === seedIP ? this.options.nodeIP : ip)),
    });
    const otherNames = readDer(extension.value).content.length !== sanLength(names);
    if (otherNames) {
      // Names other than DNS and IP (email, URI) would be lost by re-encoding; keep the original.
      this.warnings.push('a subjectAltName with other than DNS names and IP addresses was kept as it is');
      return extension;
    }
    return { ...rewritten, critical: extension.critical };
  }
}

/** The encoded length of the DNS and IP entries, to tell whether a SAN held anything else. */
function sanLength(names: { dnsNames: readonly string[]; ipAddresses: readonly string[] }): number {
  const entry = (length: number) => length + (length < 0x80 ? 2 : length < 0x100 ? 3 : 4);
  return (
    names.dnsNames.reduce((sum, name) => sum + entry(Buffer.byteLength(name, 'ascii')), 0) +
    names.ipAddresses.reduce((sum, ip) => sum + entry(ipToBytes(ip).length), 0)
  );
}

function isPrintable(value: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
}

function subjectText(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}

// ---------------------------------------------------------------------------------------------
// Identity strings

interface IdentityPair {
  readonly from: string;
  readonly to: string;
  readonly kind: 'name' | 'ipv4' | 'ipv6';
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Token boundaries, so `sno1` is not found in `sno10` nor `10.0.0.5` in `10.0.0.50`. */
const boundaries: Readonly<Record<IdentityPair['kind'], readonly [string, string]>> = {
  name: ['(?<![A-Za-z0-9])', '(?![A-Za-z0-9])'],
  ipv4: ['(?<![0-9A-Za-z.])', '(?![0-9]|\\.[0-9])'],
  ipv6: ['(?<![0-9A-Fa-f:])', '(?![0-9A-Fa-f:])'],
};

class IdentityRewriter {
  private readonly pairs: IdentityPair[];
  private readonly pattern: RegExp | undefined;
  private readonly occurrences = new Map<string, number>();

  constructor(
    pairs: readonly IdentityPair[],
    private readonly seedClusterName: string,
    private readonly clusterName: string,
    readonly clusterID: { readonly from: string; readonly to: string } | undefined,
  ) {
    // The first pair for a string wins (the hostname when it is also the cluster name). Longest
    // first, so `sno1.example.com` wins over `sno1` at the same position; one pass, so a replacement
    // is never replaced again.
    const byFrom = new Map<string, IdentityPair>();
    for (const pair of pairs) if (pair.from !== '' && !byFrom.has(pair.from)) byFrom.set(pair.from, pair);
    this.pairs = [...byFrom.values()]
      .filter((pair) => pair.from !== pair.to)
      .sort((a, b) => b.from.length - a.from.length);
    this.pattern =
      this.pairs.length === 0
        ? undefined
        : new RegExp(
            this.pairs
              .map((pair) => {
                const [before, after] = boundaries[pair.kind];
                return `${before}(${escapeRegExp(pair.from)})${after}`;
              })
              .join('|'),
            'g',
          );
  }

  replaceText(text: string): string {
    // The bare cluster name is too short and common to replace inside other words ("sno" in
    // "sno-operator"); only a value that is exactly the cluster name is one.
    if (text === this.seedClusterName && this.seedClusterName !== this.clusterName) {
      this.count(text);
      return this.clusterName;
    }
    if (this.pattern === undefined) return text;
    return text.replace(this.pattern, (...match: unknown[]) => {
      const index = match.slice(1, this.pairs.length + 1).findIndex((group) => group !== undefined);
      const pair = this.pairs[index];
      if (pair === undefined) return String(match[0]);
      this.count(pair.from);
      return pair.to;
    });
  }

  counts(): IdentityReplacement[] {
    const targets = new Map(this.pairs.map((pair) => [pair.from, pair.to]));
    targets.set(this.seedClusterName, this.clusterName);
    return [...this.occurrences].map(([from, occurrences]) => ({
      from,
      to: targets.get(from) ?? from,
      occurrences,
    }));
  }

  private count(from: string): void {
    this.occurrences.set(from, (this.occurrences.get(from) ?? 0) + 1);
  }
}

function ipKind(ip: string): 'ipv4' | 'ipv6' {
  return isIP(ip) === 6 ? 'ipv6' : 'ipv4';
}

function identityRewriter(options: RecertOptions, dump: ClusterStateDump): IdentityRewriter {
  const { seed } = options;
  const pairs: IdentityPair[] = [
    {
      from: `${seed.clusterName}.${seed.baseDomain}`,
      to: `${options.clusterName}.${options.baseDomain}`,
      kind: 'name',
    },
    { from: seed.hostname, to: options.hostname, kind: 'name' },
    { from: seed.baseDomain, to: options.baseDomain, kind: 'name' },
    { from: seed.nodeIP, to: options.nodeIP, kind: ipKind(seed.nodeIP) },
  ];
  const value = (key: string) => dump.items.find((item) => item.key === key)?.value;

  let clusterID: { from: string; to: string } | undefined;
  const version = value('config.openshift.io/clusterversions/version');
  const seedID = field(version, 'spec', 'clusterID');
  if (seedID !== undefined && seedID !== '') {
    clusterID = { from: seedID, to: randomUUID() };
    pairs.push({ from: clusterID.from, to: clusterID.to, kind: 'name' });
    // The simulated node derives its machine ID from the cluster ID without dashes.
    pairs.push({ from: seedID.replace(/-/g, ''), to: clusterID.to.replace(/-/g, ''), kind: 'name' });
  }

  const infrastructure = value('config.openshift.io/infrastructures/cluster');
  const infraName = field(infrastructure, 'status', 'infrastructureName');
  if (infraName?.startsWith(`${seed.clusterName}-`))
    pairs.push({
      from: infraName,
      to: `${options.clusterName}${infraName.slice(seed.clusterName.length)}`,
      kind: 'name',
    });
  return new IdentityRewriter(pairs, seed.clusterName, options.clusterName, clusterID);
}

function field(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const name of path) {
    if (!isRecord(current)) return undefined;
    current = current[name];
  }
  return typeof current === 'string' ? current : undefined;
}

/** `<group>/<resource>/[<namespace>/]<name>`: the namespace and name carry identity, not the type. */
function renameKey(key: string, identity: IdentityRewriter): string {
  const [group, resource, ...rest] = key.split('/');
  if (group === undefined || resource === undefined || rest.length === 0) return key;
  return [group, resource, ...rest.map((segment) => identity.replaceText(segment))].join('/');
}
