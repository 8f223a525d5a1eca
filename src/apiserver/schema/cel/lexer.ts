/** Tokenizer for CEL source (the cel-spec lexical grammar). */

import { CelCompileError } from './errors.ts';

export type Token =
  | { kind: 'int'; pos: number; text: string; value: bigint }
  | { kind: 'uint'; pos: number; text: string; value: bigint }
  | { kind: 'double'; pos: number; text: string; value: number }
  | { kind: 'string'; pos: number; text: string; value: string }
  | { kind: 'bytes'; pos: number; text: string; value: Uint8Array }
  | { kind: 'ident'; pos: number; text: string }
  | { kind: 'punct'; pos: number; text: string }
  | { kind: 'eof'; pos: number; text: '<EOF>' };

const twoCharPuncts = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const oneCharPuncts = new Set([...'+-*/%<>!?:.,()[]{}']);
const simpleEscapes: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

function syntaxError(source: string, pos: number, message: string): CelCompileError {
  return new CelCompileError(source, [{ offset: pos, message: `Syntax error: ${message}` }]);
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const endsOperand = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return false;
    if (last.kind === 'punct') return last.text === ')' || last.text === ']' || last.text === '}';
    return true;
  };
  while (i < source.length) {
    const c = source[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const isNumberStart =
      /[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? '') && !endsOperand());
    if (isNumberStart) {
      tokens.push(readNumber(source, start));
      i = start + (tokens[tokens.length - 1]?.text.length ?? 1);
      continue;
    }
    const lower = c.toLowerCase();
    const next = source[i + 1] ?? '';
    const next2 = source[i + 2] ?? '';
    let prefix = '';
    if ((lower === 'r' || lower === 'b') && (next === '"' || next === "'")) prefix = c;
    else if (
      (lower === 'r' || lower === 'b') &&
      (next.toLowerCase() === 'r' || next.toLowerCase() === 'b') &&
      next.toLowerCase() !== lower &&
      (next2 === '"' || next2 === "'")
    )
      prefix = c + next;
    if (prefix !== '' || c === '"' || c === "'") {
      const token = readString(source, start, prefix);
      tokens.push(token);
      i = start + token.text.length;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < source.length && isIdentPart(source[j] ?? '')) j++;
      tokens.push({ kind: 'ident', pos: start, text: source.slice(i, j) });
      i = j;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (twoCharPuncts.has(two)) {
      tokens.push({ kind: 'punct', pos: start, text: two });
      i += 2;
      continue;
    }
    if (oneCharPuncts.has(c)) {
      tokens.push({ kind: 'punct', pos: start, text: c });
      i++;
      continue;
    }
    throw syntaxError(source, start, `token recognition error at: '${c}'`);
  }
  tokens.push({ kind: 'eof', pos: source.length, text: '<EOF>' });
  return tokens;
}

function readNumber(source: string, start: number): Token {
  const rest = source.slice(start);
  const hex = /^0[xX][0-9a-fA-F]+[uU]?/.exec(rest);
  if (hex !== null) {
    const text = hex[0];
    const unsigned = /[uU]$/.test(text);
    const value = BigInt(unsigned ? text.slice(0, -1) : text);
    return unsigned ? { kind: 'uint', pos: start, text, value } : { kind: 'int', pos: start, text, value };
  }
  const double = /^(?:[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)/.exec(rest);
  if (double !== null) {
    return { kind: 'double', pos: start, text: double[0], value: Number(double[0]) };
  }
  const int = /^[0-9]+[uU]?/.exec(rest);
  const text = int?.[0] ?? '0';
  const unsigned = /[uU]$/.test(text);
  const value = BigInt(unsigned ? text.slice(0, -1) : text);
  return unsigned ? { kind: 'uint', pos: start, text, value } : { kind: 'int', pos: start, text, value };
}

function readString(source: string, start: number, prefix: string): Token {
  const raw = prefix.toLowerCase().includes('r');
  const isBytes = prefix.toLowerCase().includes('b');
  let i = start + prefix.length;
  const quoteChar = source[i] ?? '"';
  const triple = source.slice(i, i + 3) === quoteChar.repeat(3);
  const quote = triple ? quoteChar.repeat(3) : quoteChar;
  i += quote.length;
  const bytes: number[] = [];
  let text = '';
  const encoder = new TextEncoder();
  const pushText = (s: string): void => {
    if (isBytes) bytes.push(...encoder.encode(s));
    else text += s;
  };
  for (;;) {
    if (i >= source.length)
      throw syntaxError(source, start, `token recognition error at: '${source.slice(start)}'`);
    if (source.startsWith(quote, i)) {
      i += quote.length;
      break;
    }
    const c = source[i] ?? '';
    if (!triple && (c === '\n' || c === '\r'))
      throw syntaxError(source, start, `token recognition error at: '${source.slice(start, i)}'`);
    if (c !== '\\' || raw) {
      const cp = source.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length;
      continue;
    }
    const e = source[i + 1] ?? '';
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      pushText(simple);
      i += 2;
      continue;
    }
    let code: number | undefined;
    let length = 0;
    if (e === 'x' || e === 'X') {
      const m = /^[0-9a-fA-F]{2}/.exec(source.slice(i + 2));
      if (m !== null) [code, length] = [parseInt(m[0], 16), 4];
    } else if (e === 'u') {
      const m = /^[0-9a-fA-F]{4}/.exec(source.slice(i + 2));
      if (m !== null) [code, length] = [parseInt(m[0], 16), 6];
    } else if (e === 'U') {
      const m = /^[0-9a-fA-F]{8}/.exec(source.slice(i + 2));
      if (m !== null) [code, length] = [parseInt(m[0], 16), 10];
    } else if (/[0-3]/.test(e)) {
      const m = /^[0-3][0-7]{2}/.exec(source.slice(i + 1));
      if (m !== null) [code, length] = [parseInt(m[0], 8), 4];
    }
    if (code === undefined || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff && !isBytes))
      throw syntaxError(source, i, `token recognition error at: '${source.slice(i, i + 2)}'`);
    if (isBytes && (e === 'x' || e === 'X' || /[0-3]/.test(e))) bytes.push(code);
    else pushText(String.fromCodePoint(code));
    i += length;
  }
  const tokenText = source.slice(start, i);
  return isBytes
    ? { kind: 'bytes', pos: start, text: tokenText, value: new Uint8Array(bytes) }
    : { kind: 'string', pos: start, text: tokenText, value: text };
}
