/**
 * Recursive-descent parser for CEL, following the cel-spec grammar and precedence, with the
 * standard macros (has, all, exists, exists_one, map, filter) expanded at parse time.
 */

import type { BinaryOp, Expr, MacroName } from './ast.ts';
import { CelCompileError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { CelUint } from './values.ts';

const expressionStart =
  "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
/** CEL's reserved words: not usable as identifiers (cel-spec, "Syntax"). */
export const reservedWords: ReadonlySet<string> = new Set([
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);
/** Receivers that name a function namespace rather than a variable (`optional.of(x)`). */
const namespaces = new Set(['optional', 'sets', 'strings', 'math', 'base64']);
const macros = new Set<string>(['all', 'exists', 'exists_one', 'map', 'filter']);
const relations = new Set(['<', '<=', '>', '>=', '==', '!=', 'in']);
const MAX_DEPTH = 250;

class Parser {
  private index = 0;
  private depth = 0;
  private readonly eof: Token;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {
    this.eof = { kind: 'eof', pos: source.length, text: '<EOF>' };
  }

  private get token(): Token {
    return this.tokens[this.index] ?? this.eof;
  }

  private error(token: Token, message: string): CelCompileError {
    return new CelCompileError(this.source, [{ offset: token.pos, message: `Syntax error: ${message}` }]);
  }

  private isPunct(text: string): boolean {
    return this.token.kind === 'punct' && this.token.text === text;
  }

  private accept(text: string): Token | undefined {
    if (this.isPunct(text)) {
      const token = this.token;
      this.index++;
      return token;
    }
    return undefined;
  }

  private expect(text: string): Token {
    const token = this.accept(text);
    if (token === undefined)
      throw this.error(this.token, `mismatched input '${this.token.text}' expecting '${text}'`);
    return token;
  }

  parse(): Expr {
    const expr = this.expr();
    if (this.token.kind !== 'eof')
      throw this.error(this.token, `mismatched input '${this.token.text}' expecting <EOF>`);
    return expr;
  }

  private expr(): Expr {
    if (++this.depth > MAX_DEPTH) throw this.error(this.token, 'expression recursion limit exceeded');
    try {
      const condition = this.or();
      const question = this.accept('?');
      if (question === undefined) return condition;
      const then = this.or();
      this.expect(':');
      const otherwise = this.expr();
      return { kind: 'conditional', pos: question.pos, condition, then, otherwise };
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    let left = this.and();
    for (let op = this.accept('||'); op !== undefined; op = this.accept('||')) {
      left = { kind: 'or', pos: op.pos, left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.relation();
    for (let op = this.accept('&&'); op !== undefined; op = this.accept('&&')) {
      left = { kind: 'and', pos: op.pos, left, right: this.relation() };
    }
    return left;
  }

  private relation(): Expr {
    let left = this.addition();
    for (;;) {
      const token = this.token;
      const isRelation =
        (token.kind === 'punct' && relations.has(token.text)) ||
        (token.kind === 'ident' && token.text === 'in');
      if (!isRelation) return left;
      this.index++;
      left = { kind: 'binary', pos: token.pos, op: token.text as BinaryOp, left, right: this.addition() };
    }
  }

  private addition(): Expr {
    let left = this.multiplication();
    while (this.isPunct('+') || this.isPunct('-')) {
      const token = this.token;
      this.index++;
      left = {
        kind: 'binary',
        pos: token.pos,
        op: token.text as BinaryOp,
        left,
        right: this.multiplication(),
      };
    }
    return left;
  }

  private multiplication(): Expr {
    let left = this.unary();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const token = this.token;
      this.index++;
      left = { kind: 'binary', pos: token.pos, op: token.text as BinaryOp, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const token = this.token;
    if (this.accept('!') !== undefined) return { kind: 'not', pos: token.pos, operand: this.unary() };
    if (this.accept('-') !== undefined) {
      const next = this.token;
      // -9223372036854775808 is only representable as a negated literal.
      if (next.kind === 'int' || next.kind === 'double') {
        this.index++;
        const literal = this.numberLiteral(next, true);
        return this.member(literal);
      }
      return { kind: 'negate', pos: token.pos, operand: this.unary() };
    }
    return this.member(this.primary());
  }

  private numberLiteral(token: Token, negated: boolean): Expr {
    if (token.kind === 'double')
      return { kind: 'literal', pos: token.pos, value: negated ? -token.value : token.value };
    if (token.kind === 'uint') {
      if (token.value >= 2n ** 64n) throw this.error(token, `invalid uint literal`);
      return { kind: 'literal', pos: token.pos, value: new CelUint(token.value) };
    }
    if (token.kind !== 'int') throw this.error(token, 'invalid literal');
    const value = negated ? -token.value : token.value;
    if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) throw this.error(token, `invalid int literal`);
    return { kind: 'literal', pos: token.pos, value };
  }

  private member(operand: Expr): Expr {
    let expr = operand;
    for (;;) {
      const dot = this.accept('.');
      if (dot !== undefined) {
        const optional = this.accept('?') !== undefined;
        const name = this.token;
        if (name.kind !== 'ident')
          throw this.error(name, `mismatched input '${name.text}' expecting IDENTIFIER`);
        this.index++;
        const open = optional ? undefined : this.accept('(');
        if (open === undefined) {
          expr = { kind: 'select', pos: dot.pos, operand: expr, field: name.text, optional };
          continue;
        }
        const args = this.args(')');
        expr = this.memberCall(expr, name.text, args, open.pos);
        continue;
      }
      const bracket = this.accept('[');
      if (bracket !== undefined) {
        const optional = this.accept('?') !== undefined;
        const index = this.expr();
        this.expect(']');
        expr = { kind: 'index', pos: bracket.pos, operand: expr, index, optional };
        continue;
      }
      return expr;
    }
  }

  private memberCall(target: Expr, name: string, args: Expr[], pos: number): Expr {
    if (target.kind === 'ident' && namespaces.has(target.name)) {
      return { kind: 'call', pos, fn: `${target.name}.${name}`, target: undefined, args };
    }
    if (macros.has(name) && (args.length === 2 || (name === 'map' && args.length === 3))) {
      const [variable, first, second] = args;
      if (variable?.kind !== 'ident' || first === undefined)
        throw new CelCompileError(this.source, [
          { offset: variable?.pos ?? pos, message: 'argument must be a simple name' },
        ]);
      const macro = name as MacroName;
      if (macro === 'map') {
        return {
          kind: 'comprehension',
          pos,
          macro,
          range: target,
          iterVar: variable.name,
          predicate: second === undefined ? undefined : first,
          transform: second ?? first,
        };
      }
      return {
        kind: 'comprehension',
        pos,
        macro,
        range: target,
        iterVar: variable.name,
        predicate: first,
        transform: undefined,
      };
    }
    return { kind: 'call', pos, fn: name, target, args };
  }

  private args(close: string): Expr[] {
    const args: Expr[] = [];
    if (this.accept(close) !== undefined) return args;
    for (;;) {
      args.push(this.expr());
      if (this.accept(close) !== undefined) return args;
      this.expect(',');
    }
  }

  private primary(): Expr {
    const token = this.token;
    switch (token.kind) {
      case 'int':
      case 'uint':
      case 'double':
        this.index++;
        return this.numberLiteral(token, false);
      case 'string':
      case 'bytes':
        this.index++;
        return { kind: 'literal', pos: token.pos, value: token.value };
      case 'ident':
        return this.identOrCall();
      case 'eof':
        throw this.error(token, `mismatched input '<EOF>' expecting ${expressionStart}`);
      case 'punct':
        break;
    }
    if (this.accept('(') !== undefined) {
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (this.accept('[') !== undefined) {
      const elements: { value: Expr; optional: boolean }[] = [];
      if (this.accept(']') === undefined) {
        for (;;) {
          const optional = this.accept('?') !== undefined;
          elements.push({ value: this.expr(), optional });
          if (this.accept(']') !== undefined) break;
          this.expect(',');
          if (this.accept(']') !== undefined) break;
        }
      }
      return { kind: 'list', pos: token.pos, elements };
    }
    if (this.accept('{') !== undefined) {
      const entries: { key: Expr; value: Expr; optional: boolean }[] = [];
      if (this.accept('}') === undefined) {
        for (;;) {
          const optional = this.accept('?') !== undefined;
          const key = this.expr();
          this.expect(':');
          entries.push({ key, value: this.expr(), optional });
          if (this.accept('}') !== undefined) break;
          this.expect(',');
          if (this.accept('}') !== undefined) break;
        }
      }
      return { kind: 'map', pos: token.pos, entries };
    }
    if (this.isPunct('.')) {
      // A leading dot selects from the root scope: `.self` is `self`.
      this.index++;
      if (this.token.kind !== 'ident')
        throw this.error(this.token, `mismatched input '${this.token.text}' expecting IDENTIFIER`);
      return this.identOrCall();
    }
    throw this.error(token, `mismatched input '${token.text}' expecting ${expressionStart}`);
  }

  private identOrCall(): Expr {
    const token = this.token;
    this.index++;
    switch (token.text) {
      case 'true':
        return { kind: 'literal', pos: token.pos, value: true };
      case 'false':
        return { kind: 'literal', pos: token.pos, value: false };
      case 'null':
        return { kind: 'literal', pos: token.pos, value: null };
      case 'in':
        throw this.error(token, `mismatched input 'in' expecting ${expressionStart}`);
      default:
    }
    if (reservedWords.has(token.text)) throw this.error(token, `reserved identifier: ${token.text}`);
    const open = this.accept('(');
    if (open === undefined) return { kind: 'ident', pos: token.pos, name: token.text };
    const args = this.args(')');
    if (token.text === 'has') {
      const [arg] = args;
      if (args.length !== 1 || arg?.kind !== 'select' || arg.optional)
        throw new CelCompileError(this.source, [
          { offset: open.pos, message: 'invalid argument to has() macro' },
        ]);
      return { kind: 'has', pos: arg.pos, operand: arg.operand, field: arg.field };
    }
    return { kind: 'call', pos: open.pos, fn: token.text, target: undefined, args };
  }
}

export function parse(source: string): Expr {
  return new Parser(source, tokenize(source)).parse();
}
