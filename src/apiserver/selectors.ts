/**
 * Label and field selectors as `?labelSelector=` / `?fieldSelector=` carry them
 * (`app=web,tier!=db,env in (a,b),!legacy`).
 */
import { apiErrors } from './errors.ts';

export type Requirement =
  | { readonly key: string; readonly op: 'eq' | 'neq'; readonly value: string }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | 'notexists' };

export type Selector = readonly Requirement[];

/** Splits on commas that are not inside `( … )`. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const setTerm = /^([^\s!=]+)\s+(in|notin)\s*\(([^)]*)\)$/;
const equalityTerm = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/;

export function parseLabelSelector(text: string): Selector {
  return splitTerms(text).map((term): Requirement => {
    const set = setTerm.exec(term);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key: set[1] ?? '', op: set[2] === 'in' ? 'in' : 'notin', values };
    }
    const eq = equalityTerm.exec(term);
    if (eq) return { key: eq[1] ?? '', op: eq[2] === '!=' ? 'neq' : 'eq', value: (eq[3] ?? '').trim() };
    if (term.startsWith('!')) {
      const key = term.slice(1).trim();
      if (/^[^\s!=(),]+$/.test(key)) return { key, op: 'notexists' };
    } else if (/^[^\s!=(),]+$/.test(term)) return { key: term, op: 'exists' };
    throw apiErrors.badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
  });
}

export function parseFieldSelector(text: string, supported: readonly string[]): Selector {
  return splitTerms(text).map((term): Requirement => {
    const eq = equalityTerm.exec(term);
    if (!eq)
      throw apiErrors.badRequest(
        `invalid field selector term "${term}": expected field=value or field!=value`,
      );
    const key = eq[1] ?? '';
    if (!supported.includes(key)) {
      throw apiErrors.badRequest(`"${key}" is not a known field selector: only "${supported.join('", "')}"`);
    }
    return { key, op: eq[2] === '!=' ? 'neq' : 'eq', value: (eq[3] ?? '').trim() };
  });
}

export function matches(selector: Selector, fields: Readonly<Record<string, string>>): boolean {
  return selector.every((req) => {
    const has = Object.prototype.hasOwnProperty.call(fields, req.key);
    const value = fields[req.key];
    switch (req.op) {
      case 'eq':
        return has && value === req.value;
      case 'neq':
        return !has || value !== req.value;
      case 'in':
        return has && value !== undefined && req.values.includes(value);
      case 'notin':
        return !has || value === undefined || !req.values.includes(value);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}
