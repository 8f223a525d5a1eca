/**
 * Go RE2 patterns (OpenAPI `pattern`, CEL `matches`) run on JavaScript's RegExp. The common RE2
 * syntax is the same; what differs is translated here: leading inline flags (`(?i)`), `\A`/`\z`,
 * `(?P<name>…)` groups and POSIX classes. Anything else RE2 rejects but JS accepts is let through.
 */

const cache = new Map<string, RegExp>();

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export class RegexSyntaxError extends Error {}

function translate(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline?.[1] !== undefined) {
    for (const f of inline[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
    }
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negate: string, name: string) => {
      const body = posixClasses[name];
      if (body === undefined) return whole;
      return negate === '' ? body : `^${body}`;
    });
  return { source, flags };
}

/** Compiles an RE2 pattern; throws RegexSyntaxError with the engine's reason when it is invalid. */
export function compileRe2(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const { source, flags } = translate(pattern);
  let re: RegExp;
  try {
    re = new RegExp(source, `${flags}u`);
  } catch {
    try {
      re = new RegExp(source, flags);
    } catch (error) {
      throw new RegexSyntaxError(error instanceof Error ? error.message : String(error));
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}
