/**
 * bcrypt ($2y$), for the lab registry's htpasswd file: distribution 2.8 accepts only bcrypt
 * entries, node:crypto has no bcrypt, and apache2-utils' htpasswd is not among the lab's packages.
 * Speed does not matter here (one hash per lab start), so this favours plainness.
 */
import { randomBytes } from 'node:crypto';

const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const saltBytes = 16;
const hashBytes = 23;
const blowfishWords = 18 + 4 * 256;

/**
 * Blowfish's initial P-array and S-boxes are the fractional hex digits of pi; computing them (Machin's
 * formula on BigInts, a few ms) spares a 4 KiB table of constants.
 */
let piWords: Uint32Array | undefined;

function arctanInverse(x: bigint, one: bigint): bigint {
  let sum = 0n;
  let term = one / x;
  const xSquared = x * x;
  for (let k = 0n; term !== 0n; k++) {
    const value = term / (2n * k + 1n);
    sum += k % 2n === 0n ? value : -value;
    term /= xSquared;
  }
  return sum;
}

function blowfishInitialWords(): Uint32Array {
  if (piWords) return piWords;
  const guardBits = 64n;
  const bits = BigInt(blowfishWords * 32) + guardBits;
  const one = 1n << bits;
  const pi = 16n * arctanInverse(5n, one) - 4n * arctanInverse(239n, one);
  const fraction = (pi - 3n * one) >> guardBits;
  const words = new Uint32Array(blowfishWords);
  for (let i = 0; i < blowfishWords; i++) {
    words[i] = Number((fraction >> BigInt((blowfishWords - 1 - i) * 32)) & 0xffffffffn);
  }
  piWords = words;
  return words;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const initial = blowfishInitialWords();
    this.p = initial.slice(0, 18);
    this.s = initial.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    const a = s[x >>> 24] ?? 0;
    const b = s[256 + ((x >>> 16) & 0xff)] ?? 0;
    const c = s[512 + ((x >>> 8) & 0xff)] ?? 0;
    const d = s[768 + (x & 0xff)] ?? 0;
    return (((a + b) >>> 0) ^ c) + d;
  }

  /** Enciphers `block[offset]`, `block[offset + 1]` in place. */
  encipher(block: Uint32Array, offset: number): void {
    const p = this.p;
    let left = (block[offset] ?? 0) ^ (p[0] ?? 0);
    let right = block[offset + 1] ?? 0;
    for (let round = 1; round <= 16; round += 2) {
      right ^= this.f(left) ^ (p[round] ?? 0);
      left ^= this.f(right) ^ (p[round + 1] ?? 0);
    }
    block[offset] = (right ^ (p[17] ?? 0)) >>> 0;
    block[offset + 1] = left >>> 0;
  }

  /** bcrypt's ExpandKey; a missing salt is Blowfish's plain key schedule (Expand0State). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const keyStream = wordStream(key);
    for (let i = 0; i < 18; i++) this.p[i] = ((this.p[i] ?? 0) ^ keyStream()) >>> 0;
    const saltStream = salt ? wordStream(salt) : () => 0;
    const block = new Uint32Array(2);
    const fill = (target: Uint32Array): void => {
      for (let i = 0; i < target.length; i += 2) {
        block[0] = (block[0] ?? 0) ^ saltStream();
        block[1] = (block[1] ?? 0) ^ saltStream();
        this.encipher(block, 0);
        target[i] = block[0] ?? 0;
        target[i + 1] = block[1] ?? 0;
      }
    };
    fill(this.p);
    fill(this.s);
  }
}

/** Big-endian 32-bit words read cyclically from `bytes`, as bcrypt's Blowfish_stream2word does. */
function wordStream(bytes: Uint8Array): () => number {
  let position = 0;
  return () => {
    let word = 0;
    for (let i = 0; i < 4; i++) {
      word = (word << 8) | (bytes[position] ?? 0);
      position = (position + 1) % bytes.length;
    }
    return word >>> 0;
  };
}

function encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    out += alphabet[b0 >>> 2];
    out += alphabet[((b0 & 0x03) << 4) | (b1 >>> 4)];
    if (i + 1 >= bytes.length) break;
    out += alphabet[((b1 & 0x0f) << 2) | (b2 >>> 6)];
    if (i + 2 >= bytes.length) break;
    out += alphabet[b2 & 0x3f];
  }
  return out;
}

function decode(text: string, length: number): Uint8Array {
  const values = [...text].map((char) => {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`bcrypt: invalid character ${JSON.stringify(char)} in salt`);
    return value;
  });
  const out = new Uint8Array(length);
  let bitBuffer = 0;
  let bitCount = 0;
  let index = 0;
  for (const value of values) {
    bitBuffer = (bitBuffer << 6) | value;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      if (index < length) out[index++] = (bitBuffer >>> bitCount) & 0xff;
    }
  }
  return out;
}

const magic = 'OrpheanBeholderScryDoubt';

function rawHash(password: string, salt: Uint8Array, cost: number): Uint8Array {
  // $2b$/$2y$: the key is the UTF-8 password with its NUL terminator, at most 72 bytes.
  const key = Buffer.concat([Buffer.from(password, 'utf8'), Buffer.of(0)]).subarray(0, 72);
  const state = new Blowfish();
  state.expand(key, salt);
  for (let round = 0; round < 2 ** cost; round++) {
    state.expand(key);
    state.expand(salt);
  }
  const text = new Uint32Array(6);
  for (let i = 0; i < 6; i++) text[i] = Buffer.from(magic, 'latin1').readUInt32BE(i * 4);
  for (let pass = 0; pass < 64; pass++) {
    for (let i = 0; i < 6; i += 2) state.encipher(text, i);
  }
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(text[i] ?? 0, i * 4);
  return out.subarray(0, hashBytes);
}

/**
 * Hashes `password` with a salt in modular-crypt form (`$2y$05$<22 chars>`, extra characters
 * ignored), or a fresh random salt. The result is what htpasswd -B writes after `user:`.
 */
export function bcryptHash(password: string, options: { cost?: number; salt?: string } = {}): string {
  let cost = options.cost ?? 5;
  let prefix = '2y';
  let salt: Uint8Array;
  if (options.salt !== undefined) {
    const match = /^\$(2[abxy]?)\$(\d\d)\$([./A-Za-z0-9]{22})/.exec(options.salt);
    if (!match?.[1] || !match[2] || !match[3]) {
      throw new Error(
        `bcrypt: salt must look like $2y$05$ and 22 characters, got ${JSON.stringify(options.salt)}`,
      );
    }
    prefix = match[1];
    cost = Number(match[2]);
    salt = decode(match[3], saltBytes);
  } else {
    salt = randomBytes(saltBytes);
  }
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) {
    throw new Error(`bcrypt: cost must be an integer from 4 to 31, got ${cost}`);
  }
  const costText = String(cost).padStart(2, '0');
  return `$${prefix}$${costText}$${encode(salt)}${encode(rawHash(password, salt, cost))}`;
}

/** Whether `password` matches a bcrypt `hash` (modular-crypt form). */
export function bcryptVerify(password: string, hash: string): boolean {
  return bcryptHash(password, { salt: hash }) === hash;
}
