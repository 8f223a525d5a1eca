/**
 * Timestamps and durations as CEL (cel-go) handles them: nanosecond precision held in bigints,
 * RFC 3339 text for timestamps, Go's time.ParseDuration grammar for durations.
 */

import { CelEvalError } from './errors.ts';

const NANOS_PER_MS = 1_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z: CEL's timestamp range. */
const MIN_TIMESTAMP = -62135596800n * NANOS_PER_SECOND;
const MAX_TIMESTAMP = 253402300799n * NANOS_PER_SECOND + 999_999_999n;
/** Go's time.Duration is an int64 of nanoseconds. */
const MAX_DURATION = 2n ** 63n - 1n;

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

export function checkTimestampRange(nanos: bigint): bigint {
  if (nanos < MIN_TIMESTAMP || nanos > MAX_TIMESTAMP) throw new CelEvalError('timestamp overflow');
  return nanos;
}

export function checkDurationRange(nanos: bigint): bigint {
  if (nanos > MAX_DURATION || nanos < -MAX_DURATION) throw new CelEvalError('duration overflow');
  return nanos;
}

/** Parses RFC 3339 text to nanoseconds since the epoch; undefined when it does not parse. */
export function parseTimestamp(text: string): bigint | undefined {
  const m = rfc3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  )
    return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day) return undefined;
  let nanos = BigInt(date.getTime()) * NANOS_PER_MS;
  nanos += BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  const zone = m[8] ?? 'Z';
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const offsetMinutes = BigInt(Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    nanos -= sign * offsetMinutes * 60n * NANOS_PER_SECOND;
  }
  return nanos;
}

/** A `format: date` value (YYYY-MM-DD) as midnight UTC. */
export function parseDate(text: string): bigint | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseTimestamp(`${text}T00:00:00Z`) : undefined;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Go's time.Format(RFC3339Nano) in UTC. */
export function formatTimestamp(nanos: bigint): string {
  const ms = floorDiv(nanos, NANOS_PER_MS);
  const subNanos = nanos - floorDiv(nanos, NANOS_PER_SECOND) * NANOS_PER_SECOND;
  const iso = new Date(Number(ms)).toISOString();
  const base = iso.slice(0, 19).replace(/^\+0*/, '');
  const fraction = subNanos === 0n ? '' : `.${subNanos.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `${base}${fraction}Z`;
}

const unitNanos: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: NANOS_PER_MS,
  s: NANOS_PER_SECOND,
  m: 60n * NANOS_PER_SECOND,
  h: 3600n * NANOS_PER_SECOND,
};

/** Go's time.ParseDuration; undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): bigint | undefined {
  let rest = text;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = part.exec(rest);
    if (m === null) return undefined;
    const whole = m[1] ?? '';
    const frac = m[2] ?? '';
    if (whole === '' && frac === '') return undefined;
    const unit = unitNanos[m[3] ?? ''] ?? 1n;
    total += BigInt(whole || '0') * unit;
    if (frac !== '') {
      const scale = 10n ** BigInt(frac.length);
      total += (BigInt(frac) * unit) / scale;
    }
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

const looseUnits: [string[], bigint][] = [
  [['ns', 'nano'], 1n],
  [['us', 'µs', 'micro'], 1_000n],
  [['ms', 'milli'], NANOS_PER_MS],
  [['s', 'sec'], NANOS_PER_SECOND],
  [['m', 'min'], 60n * NANOS_PER_SECOND],
  [['h', 'hr', 'hour'], 3600n * NANOS_PER_SECOND],
  [['d', 'day'], 86400n * NANOS_PER_SECOND],
  [['w', 'wk', 'week'], 7n * 86400n * NANOS_PER_SECOND],
];

/** strfmt.ParseDuration, used for `format: duration` values: Go syntax or "3 days 4h". */
export function parseSchemaDuration(text: string): bigint | undefined {
  const goDuration = parseGoDuration(text);
  if (goDuration !== undefined) return goDuration;
  let total = 0n;
  let ok = false;
  for (const match of text.matchAll(/((\d+)\s*([A-Za-zµ]+))/g)) {
    const factor = BigInt(match[2] ?? '0');
    const unit = (match[3] ?? '').trim().toLowerCase();
    for (const [variants, multiplier] of looseUnits) {
      const last = variants.length - 1;
      variants.forEach((variant, i) => {
        if ((i === last && unit.startsWith(variant)) || variant === unit) {
          ok = true;
          total += factor * multiplier;
        }
      });
    }
  }
  return ok ? total : undefined;
}

/** cel-go's string(duration): seconds with the shortest decimal fraction, suffixed "s". */
export function formatDuration(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const seconds = abs / NANOS_PER_SECOND;
  const frac = abs % NANOS_PER_SECOND;
  const fraction = frac === 0n ? '' : `.${frac.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `${negative ? '-' : ''}${seconds}${fraction}s`;
}

export interface TimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  dayOfYear: number;
}

/** Calendar fields of a timestamp in a time zone: "UTC", an IANA name, or a "+05:30" offset. */
export function timeFields(nanos: bigint, zone = 'UTC'): TimeFields {
  let ms = Number(floorDiv(nanos, NANOS_PER_MS));
  const millisecond = ((ms % 1000) + 1000) % 1000;
  const offset = /^([+-])?(\d{2}):(\d{2})$/.exec(zone);
  let date: Date;
  if (offset !== null) {
    const sign = offset[1] === '-' ? -1 : 1;
    ms += sign * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000;
    date = new Date(ms);
  } else if (zone === 'UTC' || zone === '') {
    date = new Date(ms);
  } else {
    let parts: Intl.DateTimeFormatPart[];
    try {
      parts = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }).formatToParts(new Date(ms));
    } catch {
      throw new CelEvalError(`unknown time zone ${zone}`);
    }
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    date = new Date(
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')),
    );
    date.setUTCFullYear(get('year'));
  }
  const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth(),
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond,
    weekday: date.getUTCDay(),
    dayOfYear: Math.round((dayStart - startOfYear) / 86_400_000),
  };
}

export const NANOS = { perSecond: NANOS_PER_SECOND, perMs: NANOS_PER_MS };
