/**
 * Registry auth challenges (RFC 7235 `WWW-Authenticate`) and the distribution token flow: a
 * `Bearer realm=…,service=…,scope=…` challenge is answered by fetching a token from the realm,
 * with the pull secret's credentials as Basic auth when there are any.
 */

export interface Challenge {
  /** Lowercase: `basic`, `bearer`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses the first challenge of a `WWW-Authenticate` value. Quoted values may hold commas
 * (`scope="repository:a:pull,push"`), so this is a small scanner rather than a split.
 */
export function parseChallenge(value: string | undefined): Challenge | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([A-Za-z][\w-]*)\s*/.exec(value);
  if (!match?.[1]) return undefined;
  const params: Record<string, string> = {};
  let rest = value.slice(match[0].length);
  const pair = /^\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*(?:,|$)/;
  for (;;) {
    const found = pair.exec(rest);
    if (!found?.[1]) break;
    params[found[1].toLowerCase()] =
      found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : (found[3] ?? '');
    rest = rest.slice(found[0].length);
  }
  return { scheme: match[1].toLowerCase(), params };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The token endpoint URL for a bearer challenge, with service and scope as query parameters. */
export function tokenUrl(challenge: Challenge, scope: string | undefined): URL {
  const realm = challenge.params.realm;
  if (realm === undefined || realm === '')
    throw new Error('the registry sent a Bearer challenge without a realm');
  const url = new URL(realm);
  const service = challenge.params.service;
  if (service !== undefined) url.searchParams.set('service', service);
  const scopes = (challenge.params.scope ?? scope ?? '').split(' ').filter((s) => s !== '');
  for (const s of scopes) url.searchParams.append('scope', s);
  return url;
}

/** Distribution token servers answer `{"token": …}`; OAuth-style ones `{"access_token": …}`. */
export function tokenFromResponse(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    if ('token' in parsed && typeof parsed.token === 'string' && parsed.token !== '') return parsed.token;
    if ('access_token' in parsed && typeof parsed.access_token === 'string' && parsed.access_token !== '') {
      return parsed.access_token;
    }
  } catch {
    // fall through
  }
  return undefined;
}
