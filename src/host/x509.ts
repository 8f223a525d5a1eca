/**
 * X.509 v3 certificates built with node:crypto alone. Node can generate keys, sign and parse
 * certificates but has no certificate builder, so this module carries a small DER encoder (and the
 * reader recert needs to copy a seed certificate's fields) for exactly the structures RFC 5280 asks
 * for: TBSCertificate, Name, Validity, SubjectPublicKeyInfo (taken from the key's own SPKI export) and
 * the extensions Kubernetes and OpenShift certificates carry.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

// ---------------------------------------------------------------------------------------------
// DER encoding

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(TAG.sequence, Buffer.concat(items));
/** SET OF sorts its elements by their encodings (X.690 11.6). */
const setOf = (...items: Buffer[]): Buffer =>
  tlv(TAG.set, Buffer.concat([...items].sort((a, b) => Buffer.compare(a, b))));
const octetString = (content: Buffer): Buffer => tlv(TAG.octetString, content);
const bitString = (content: Buffer, unusedBits = 0): Buffer =>
  tlv(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), content]));
const derNull = (): Buffer => tlv(TAG.null, Buffer.alloc(0));
const derBoolean = (value: boolean): Buffer => tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
const explicit = (tagNumber: number, inner: Buffer): Buffer => tlv(0xa0 | tagNumber, inner);

/** A non-negative INTEGER from its big-endian magnitude, minimally encoded. */
function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const needsPad = trimmed.length === 0 || (trimmed[0] ?? 0) >= 0x80;
  return tlv(TAG.integer, needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new Error(`OID ${dotted} has fewer than two arcs`);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) chunk.unshift(Number(value & 0x7fn) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on. */
function derTime(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(TAG.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'));
}

// ---------------------------------------------------------------------------------------------
// DER reading: just enough to take a certificate apart into the pieces recert copies

export interface DerNode {
  readonly tag: number;
  /** The content octets. */
  readonly content: Buffer;
  /** The whole element: tag, length and content. */
  readonly raw: Buffer;
}

export function readDer(buffer: Buffer, offset = 0): DerNode {
  const tag = buffer[offset];
  const first = buffer[offset + 1];
  if (tag === undefined || first === undefined) throw new Error(`DER: truncated element at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new Error(`DER: multi-byte tags are not supported (offset ${offset})`);
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error(`DER: unsupported length form at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buffer[offset + 2 + i] ?? 0);
    header += count;
  }
  const end = offset + header + length;
  if (end > buffer.length) throw new Error(`DER: element at offset ${offset} runs past the end of its input`);
  return { tag, content: buffer.subarray(offset + header, end), raw: buffer.subarray(offset, end) };
}

export function derChildren(node: DerNode): DerNode[] {
  const children: DerNode[] = [];
  for (let offset = 0; offset < node.content.length;) {
    const child = readDer(node.content, offset);
    children.push(child);
    offset += child.raw.length;
  }
  return children;
}

function readOid(node: DerNode): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of node.content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [head, ...rest] = arcs;
  if (head === undefined) return '';
  const first = head < 80n ? head / 40n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}

function readTime(node: DerNode): Date {
  const text = node.content.toString('ascii');
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw new Error(`certificate time ${JSON.stringify(text)} is not in DER form`);
  let year = Number(match[1]);
  if (node.tag === TAG.utcTime) year += year < 50 ? 2000 : 1900;
  return new Date(
    Date.UTC(
      year,
      Number(match[2]) - 1,
      Number(match[3]),
      Number(match[4]),
      Number(match[5]),
      Number(match[6]),
    ),
  );
}

function child(nodes: readonly DerNode[], index: number, what: string): DerNode {
  const node = nodes[index];
  if (node === undefined) throw new Error(`certificate: missing ${what}`);
  return node;
}

// ---------------------------------------------------------------------------------------------
// Object identifiers

export const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

const extendedKeyUsageNames: Readonly<Record<string, string>> = {
  [OID.serverAuth]: 'serverAuth',
  [OID.clientAuth]: 'clientAuth',
};

// ---------------------------------------------------------------------------------------------
// Keys

export type KeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';

export function generateKey(keyType: KeyType = 'ecdsa-p256'): KeyObject {
  switch (keyType) {
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'ecdsa-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    case 'rsa-2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    case 'rsa-3072':
      return generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey;
    case 'rsa-4096':
      return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
  }
}

/** The key type of a key (public or private), so a regenerated key can match the one it replaces. */
export function keyTypeOf(key: KeyObject): KeyType {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') {
    if (details?.namedCurve === 'prime256v1') return 'ecdsa-p256';
    if (details?.namedCurve === 'secp384r1') return 'ecdsa-p384';
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength ?? 2048;
    return bits >= 4096 ? 'rsa-4096' : bits >= 3072 ? 'rsa-3072' : 'rsa-2048';
  }
  throw new Error(
    `unsupported key type ${key.asymmetricKeyType ?? 'unknown'} ${details?.namedCurve ?? ''}: ` +
      'lcm signs with ECDSA P-256/P-384 or RSA',
  );
}

/** The PEM label a private key is written with; recert keeps each seed key's format. */
export type PrivateKeyLabel = 'PRIVATE KEY' | 'EC PRIVATE KEY' | 'RSA PRIVATE KEY';

export function exportPrivateKey(key: KeyObject, label: PrivateKeyLabel = 'PRIVATE KEY'): string {
  if (label === 'EC PRIVATE KEY' && key.asymmetricKeyType === 'ec')
    return key.export({ type: 'sec1', format: 'pem' }).toString();
  if (label === 'RSA PRIVATE KEY' && key.asymmetricKeyType === 'rsa')
    return key.export({ type: 'pkcs1', format: 'pem' }).toString();
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function subjectKeyId(key: KeyObject): Buffer {
  const spki = derChildren(readDer(spkiDer(key)));
  const bits = child(spki, 1, 'subjectPublicKey');
  return createHash('sha1').update(bits.content.subarray(1)).digest();
}

function signatureAlgorithm(key: KeyObject): { hash: string; identifier: Buffer } {
  switch (keyTypeOf(key)) {
    case 'ecdsa-p256':
      return { hash: 'sha256', identifier: sequence(oid(OID.ecdsaWithSha256)) };
    case 'ecdsa-p384':
      return { hash: 'sha384', identifier: sequence(oid(OID.ecdsaWithSha384)) };
    default:
      return { hash: 'sha256', identifier: sequence(oid(OID.sha256WithRsa), derNull()) };
  }
}

// ---------------------------------------------------------------------------------------------
// PEM

export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
  /** The block as it was written, headers and line breaks included. */
  readonly text: string;
}

const pemPattern = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----(\r?\n)?/g;

/** The text split into PEM blocks and the text between them, in order. */
export function splitPem(text: string): (string | PemBlock)[] {
  const parts: (string | PemBlock)[] = [];
  let last = 0;
  for (const match of text.matchAll(pemPattern)) {
    const index = match.index;
    if (index > last) parts.push(text.slice(last, index));
    parts.push({
      label: match[1] ?? '',
      der: Buffer.from((match[2] ?? '').replace(/\s+/g, ''), 'base64'),
      text: match[0],
    });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function certificateDer(pem: string): Buffer {
  const block = splitPem(pem).find((part): part is PemBlock => typeof part !== 'string');
  if (block?.label !== 'CERTIFICATE') throw new Error('expected a PEM CERTIFICATE block');
  return block.der;
}

// ---------------------------------------------------------------------------------------------
// Names and extensions

export interface NameAttribute {
  readonly oid: string;
  /** The ASN.1 string type it was encoded with, kept when a name is rewritten. */
  readonly tag: number;
  readonly value: string;
}

/** A Name as its RDNs, each a set of attributes (almost always one). */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

export function encodeName(name: DistinguishedName): Buffer {
  return sequence(
    ...name.map((rdn) =>
      setOf(...rdn.map((a) => sequence(oid(a.oid), tlv(a.tag, Buffer.from(a.value, 'utf8'))))),
    ),
  );
}

export function decodeName(der: Buffer): DistinguishedName {
  return derChildren(readDer(der)).map((rdn) =>
    derChildren(rdn).map((attribute) => {
      const [type, value] = derChildren(attribute);
      if (type === undefined || value === undefined) throw new Error('certificate: malformed Name attribute');
      return { oid: readOid(type), tag: value.tag, value: value.content.toString('utf8') };
    }),
  );
}

/** Go's crypto/x509 order (O, OU, CN), which OpenShift's certificates follow. */
export function simpleName(
  commonName: string,
  organizations: readonly string[] = [],
  units: readonly string[] = [],
): Buffer {
  const rdn = (oidValue: string, value: string) => [{ oid: oidValue, tag: TAG.utf8String, value }];
  return encodeName([
    ...organizations.map((o) => rdn(OID.organization, o)),
    ...units.map((u) => rdn(OID.organizationalUnit, u)),
    rdn(OID.commonName, commonName),
  ]);
}

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue's contents: the DER of the extension's own structure. */
  readonly value: Buffer;
}

function encodeExtension(extension: Extension): Buffer {
  return sequence(
    oid(extension.oid),
    ...(extension.critical ? [derBoolean(true)] : []),
    octetString(extension.value),
  );
}

export function basicConstraintsExtension(isCA: boolean): Extension {
  return { oid: OID.basicConstraints, critical: true, value: isCA ? sequence(derBoolean(true)) : sequence() };
}

const keyUsageBits = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

export function keyUsageExtension(usages: readonly (keyof typeof keyUsageBits)[]): Extension {
  const bits = usages.map((u) => keyUsageBits[u]);
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  // DER drops trailing zero bits of a named-bit list and counts them as unused.
  return { oid: OID.keyUsage, critical: true, value: bitString(bytes, bytes.length * 8 - (highest + 1)) };
}

export function extendedKeyUsageExtension(purposes: readonly string[]): Extension {
  return { oid: OID.extendedKeyUsage, critical: false, value: sequence(...purposes.map(oid)) };
}

export interface SubjectAltNames {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

export function subjectAltNameExtension(names: SubjectAltNames): Extension {
  return {
    oid: OID.subjectAltName,
    critical: false,
    value: sequence(
      ...names.dnsNames.map((name) => tlv(0x82, Buffer.from(name, 'ascii'))),
      ...names.ipAddresses.map((ip) => tlv(0x87, ipToBytes(ip))),
    ),
  };
}

export function readSubjectAltNames(value: Buffer): SubjectAltNames {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const name of derChildren(readDer(value))) {
    if (name.tag === 0x82) dnsNames.push(name.content.toString('ascii'));
    else if (name.tag === 0x87) ipAddresses.push(bytesToIp(name.content));
  }
  return { dnsNames, ipAddresses };
}

function readExtendedKeyUsage(value: Buffer): string[] {
  return derChildren(readDer(value)).map(readOid);
}

function readBasicConstraintsCA(value: Buffer): boolean {
  const first = derChildren(readDer(value))[0];
  return first?.tag === TAG.boolean && first.content[0] !== 0;
}

export function ipToBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new Error(`${JSON.stringify(ip)} is not an IPv4 or IPv6 address`);
  const [head = '', tail] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const withV4 = (parts: string[]) =>
    parts.flatMap((group) => {
      if (!group.includes('.')) return [group];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const left = withV4(groups(head));
  const right = tail === undefined ? [] : withV4(groups(tail));
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const bytes = Buffer.alloc(16);
  [...left, ...middle, ...right].forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

/** IPv6 in RFC 5952 form (lower case, longest zero run compressed). */
export function bytesToIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return bytes.toString('hex');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

// ---------------------------------------------------------------------------------------------
// Certificates

export interface ParsedCertificate {
  readonly der: Buffer;
  readonly serial: Buffer;
  /** DER of the issuer and subject Names, byte for byte. */
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectPublicKeyInfo: Buffer;
  readonly extensions: readonly Extension[];
  readonly isCA: boolean;
}

export function parseCertificate(der: Buffer): ParsedCertificate {
  const [tbsNode] = derChildren(readDer(der));
  if (tbsNode === undefined) throw new Error('certificate: missing TBSCertificate');
  const tbs = derChildren(tbsNode);
  const hasVersion = tbs[0]?.tag === 0xa0;
  const at = (i: number, what: string) => child(tbs, i + (hasVersion ? 1 : 0), what);
  const validity = derChildren(at(3, 'validity'));
  const extensionsNode = tbs.find((node) => node.tag === 0xa3);
  const extensions: Extension[] = [];
  if (extensionsNode !== undefined) {
    for (const extension of derChildren(child(derChildren(extensionsNode), 0, 'extensions'))) {
      const fields = derChildren(extension);
      const critical = fields[1]?.tag === TAG.boolean && fields[1].content[0] !== 0;
      extensions.push({
        oid: readOid(child(fields, 0, 'extension id')),
        critical,
        value: child(fields, fields[1]?.tag === TAG.boolean ? 2 : 1, 'extension value').content,
      });
    }
  }
  const basicConstraints = extensions.find((e) => e.oid === OID.basicConstraints);
  return {
    der,
    serial: at(0, 'serial').content,
    issuer: at(2, 'issuer').raw,
    subject: at(4, 'subject').raw,
    notBefore: readTime(child(validity, 0, 'notBefore')),
    notAfter: readTime(child(validity, 1, 'notAfter')),
    subjectPublicKeyInfo: at(5, 'subjectPublicKeyInfo').raw,
    extensions,
    isCA: basicConstraints !== undefined && readBasicConstraintsCA(basicConstraints.value),
  };
}

export interface CertificateTemplate {
  /** DER of the subject Name. */
  readonly subject: Buffer;
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Extensions in order; subject/authority key identifiers are written by signCertificate. */
  readonly extensions: readonly Extension[];
  /** Leave out the key identifier extensions (recert keeps a seed certificate's choice). */
  readonly omitSubjectKeyId?: boolean;
  readonly omitAuthorityKeyId?: boolean;
}

/** Who signs: a CA's subject, key and key identifier; `undefined` signs the certificate with its own key. */
export interface SigningAuthority {
  readonly subject: Buffer;
  readonly privateKey: KeyObject;
  readonly keyId: Buffer;
}

export function authorityOf(ca: CertificateAndKey): SigningAuthority {
  const privateKey = createPrivateKey(ca.keyPem);
  const parsed = parseCertificate(certificateDer(ca.certPem));
  if (!parsed.isCA) throw new Error('the issuing certificate is not a CA (basicConstraints CA:FALSE)');
  if (!spkiDer(privateKey).equals(parsed.subjectPublicKeyInfo))
    throw new Error("the CA's private key does not match its certificate");
  return { subject: parsed.subject, privateKey, keyId: subjectKeyId(privateKey) };
}

function newSerial(): Buffer {
  const serial = randomBytes(16);
  // Positive, and without a leading zero byte, so the INTEGER is always 16 bytes.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

/** Signs a certificate; without an issuer it is self-signed with `selfKey`. Returns the DER. */
export function signCertificate(
  template: CertificateTemplate,
  issuer: SigningAuthority | undefined,
  selfKey?: KeyObject,
): Buffer {
  const ownKeyId = subjectKeyId(template.publicKey);
  const authority = issuer ?? {
    subject: template.subject,
    privateKey: selfKey ?? fail('a self-signed certificate needs its private key'),
    keyId: ownKeyId,
  };
  const algorithm = signatureAlgorithm(authority.privateKey);
  const extensions: Extension[] = [...template.extensions];
  if (!template.omitSubjectKeyId)
    extensions.push({ oid: OID.subjectKeyIdentifier, critical: false, value: octetString(ownKeyId) });
  if (!template.omitAuthorityKeyId)
    extensions.push({
      oid: OID.authorityKeyIdentifier,
      critical: false,
      value: sequence(tlv(0x80, authority.keyId)),
    });
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(newSerial()),
    algorithm.identifier,
    authority.subject,
    sequence(derTime(template.notBefore), derTime(template.notAfter)),
    template.subject,
    spkiDer(template.publicKey),
    ...(extensions.length > 0 ? [explicit(3, sequence(...extensions.map(encodeExtension)))] : []),
  );
  const signature = sign(algorithm.hash, tbs, authority.privateKey);
  return sequence(tbs, algorithm.identifier, bitString(signature));
}

function fail(message: string): never {
  throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// The convenience API

export interface CertificateAndKey {
  readonly certPem: string;
  readonly keyPem: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Certificate times have whole seconds; validity starts now unless told otherwise. */
function validity(validityDays: number, notBefore?: Date): { notBefore: Date; notAfter: Date } {
  if (!(validityDays > 0)) throw new Error(`validityDays must be positive, got ${validityDays}`);
  const start = Math.floor((notBefore ?? new Date()).getTime() / 1000) * 1000;
  return {
    notBefore: new Date(start),
    notAfter: new Date(start + Math.round((validityDays * dayMs) / 1000) * 1000),
  };
}

export interface CertificateAuthorityOptions {
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly validityDays: number;
  readonly keyType?: KeyType;
  readonly notBefore?: Date;
  /** Makes an intermediate CA signed by this one; a self-signed root otherwise. */
  readonly issuer?: CertificateAndKey;
}

export function createCertificateAuthority(options: CertificateAuthorityOptions): CertificateAndKey {
  const key = generateKey(options.keyType);
  const der = signCertificate(
    {
      subject: simpleName(
        options.commonName,
        options.organization === undefined ? [] : [options.organization],
        options.organizationalUnit === undefined ? [] : [options.organizationalUnit],
      ),
      publicKey: createPublicKey(key),
      ...validity(options.validityDays, options.notBefore),
      extensions: [
        keyUsageExtension(['digitalSignature', 'keyCertSign', 'cRLSign']),
        basicConstraintsExtension(true),
      ],
    },
    options.issuer === undefined ? undefined : authorityOf(options.issuer),
    key,
  );
  return { certPem: toPem('CERTIFICATE', der), keyPem: exportPrivateKey(key) };
}

export type CertificateUsage = 'server' | 'client' | 'both';

export interface IssueCertificateOptions {
  readonly ca: CertificateAndKey;
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly usage: CertificateUsage;
  readonly validityDays: number;
  readonly keyType?: KeyType;
  readonly notBefore?: Date;
}

export function issueCertificate(options: IssueCertificateOptions): CertificateAndKey {
  const key = generateKey(options.keyType);
  const purposes = {
    server: [OID.serverAuth],
    client: [OID.clientAuth],
    both: [OID.serverAuth, OID.clientAuth],
  }[options.usage];
  const sans = { dnsNames: options.dnsNames ?? [], ipAddresses: options.ipAddresses ?? [] };
  const der = signCertificate(
    {
      subject: simpleName(options.commonName, options.organizations),
      publicKey: createPublicKey(key),
      ...validity(options.validityDays, options.notBefore),
      extensions: [
        // What Kubernetes' own cert helpers set for every leaf, whatever the key type.
        keyUsageExtension(['digitalSignature', 'keyEncipherment']),
        extendedKeyUsageExtension(purposes),
        basicConstraintsExtension(false),
        ...(sans.dnsNames.length + sans.ipAddresses.length > 0 ? [subjectAltNameExtension(sans)] : []),
      ],
    },
    authorityOf(options.ca),
  );
  return { certPem: toPem('CERTIFICATE', der), keyPem: exportPrivateKey(key) };
}

export interface CertificateDescription {
  /** `O=…, CN=…`, attributes in certificate order. */
  readonly subject: string;
  readonly issuer: string;
  /** Upper-case hex, as X509Certificate reports it. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** `DNS:name` and `IP:address` entries, in certificate order by kind. */
  readonly sans: readonly string[];
  /** `serverAuth`, `clientAuth`, or the dotted OID of other purposes. */
  readonly extendedKeyUsage: readonly string[];
  readonly isCA: boolean;
  /** Colon-separated SHA-256 of the DER, as X509Certificate reports it. */
  readonly fingerprint256: string;
}

export function describeCertificate(pem: string): CertificateDescription {
  const certificate = new X509Certificate(pem);
  const parsed = parseCertificate(certificate.raw);
  const extension = (id: string) => parsed.extensions.find((e) => e.oid === id)?.value;
  const sanValue = extension(OID.subjectAltName);
  const sans = sanValue === undefined ? { dnsNames: [], ipAddresses: [] } : readSubjectAltNames(sanValue);
  const ekuValue = extension(OID.extendedKeyUsage);
  return {
    subject: certificate.subject.split('\n').join(', '),
    issuer: certificate.issuer.split('\n').join(', '),
    serial: certificate.serialNumber,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    sans: [...sans.dnsNames.map((n) => `DNS:${n}`), ...sans.ipAddresses.map((ip) => `IP:${ip}`)],
    extendedKeyUsage:
      ekuValue === undefined
        ? []
        : readExtendedKeyUsage(ekuValue).map((id) => extendedKeyUsageNames[id] ?? id),
    isCA: certificate.ca,
    fingerprint256: certificate.fingerprint256,
  };
}

function certificatesIn(pem: string): X509Certificate[] {
  return splitPem(pem)
    .filter((part): part is PemBlock => typeof part !== 'string' && part.label === 'CERTIFICATE')
    .map((block) => new X509Certificate(block.der));
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  return issuer.ca && subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/**
 * Whether the first certificate of `certPem` chains to a CA of the bundle `caPem`, through the
 * intermediates that follow it in `certPem`. Checks names and signatures, not validity dates.
 */
export function verifyChain(certPem: string, caPem: string): boolean {
  const [leaf, ...intermediates] = certificatesIn(certPem);
  const anchors = certificatesIn(caPem);
  if (leaf === undefined) return false;
  let current = leaf;
  for (let depth = 0; depth <= intermediates.length; depth++) {
    if (anchors.some((anchor) => issued(anchor, current))) return true;
    const next = intermediates.find((candidate) => issued(candidate, current));
    if (next === undefined) return false;
    current = next;
  }
  return false;
}
