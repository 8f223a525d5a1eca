/**
 * The string formats a CRD schema may use (apiextensions' supportedVersionedFormats) and their
 * validators (kube-openapi strfmt). Any other format is stripped by the API server before
 * validation, i.e. accepted without a check — int32, int64, float and double included.
 */

import { isIP } from 'node:net';

type FormatCheck = (value: string) => boolean;

const hostnamePattern =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const uuidPattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3Pattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4Pattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5Pattern = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const creditCardPattern =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/;
const rgbPart = '\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*';
const rgbColorPattern = new RegExp(`^rgb\\(${rgbPart},${rgbPart},${rgbPart}\\)$`);
const timePattern = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const durationUnitGroups = [
  ['ns', 'nano'],
  ['us', 'µs', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
];

export function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  const date = parts[0];
  const time = parts[1];
  if (parts.length < 2 || date === undefined || time === undefined || !isDate(date)) return false;
  const m = timePattern.exec(time);
  if (m === null) return false;
  return (m[1] ?? '') <= '23' && (m[2] ?? '') <= '59' && (m[3] ?? '') <= '59';
}

/** Go's time.ParseDuration grammar: an optional sign and one or more `<decimal><unit>` pairs. */
export function isGoDuration(value: string): boolean {
  if (value === '0' || value === '+0' || value === '-0') return true;
  return /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(value);
}

/** strfmt.ParseDuration: Go durations, or loose `<int> <unit>` pairs such as "3 days". */
export function isDuration(value: string): boolean {
  if (isGoDuration(value)) return true;
  let ok = false;
  for (const match of value.matchAll(/((\d+)\s*([A-Za-zµ]+))/g)) {
    const unit = (match[3] ?? '').trim().toLowerCase();
    for (const variants of durationUnitGroups) {
      const last = variants.length - 1;
      variants.forEach((variant, i) => {
        if ((i === last && unit.startsWith(variant)) || variant === unit) ok = true;
      });
    }
  }
  return ok;
}

function isRequestUri(value: string): boolean {
  // Go's url.ParseRequestURI: an absolute URI or an absolute path, no fragment, no spaces/controls.
  if (value === '' || [...value].some((c) => c.trim() === '' || c.charCodeAt(0) < 0x20 || c === '\x7f'))
    return false;
  if (value.startsWith('/')) return true;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value);
}

function isEmail(value: string): boolean {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  const address = angle?.[1] ?? value.trim();
  return /^[^\s@<>()[\]\\,;:"]+(\.[^\s@<>()[\]\\,;:"]+)*@[^\s@<>()[\]\\,;:"]+$/.test(address);
}

function isHostname(value: string): boolean {
  if (!hostnamePattern.test(value) || value.length > 255) return false;
  return value.split('.').every((part) => part.length <= 63);
}

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const family = isIP(ip.replace(/(^|\.)0+(\d)/g, '$1$2'));
  if (family === 0 || !/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function isMac(value: string): boolean {
  return (
    /^[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}$/.test(value) ||
    /^[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\1){6}[0-9a-fA-F]{2}$/.test(value) ||
    /^[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\1){18}[0-9a-fA-F]{2}$/.test(value) ||
    /^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(value) ||
    /^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4}){3}$/.test(value) ||
    /^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4}){9}$/.test(value)
  );
}

function isIsbn(value: string, version: 10 | 13): boolean {
  const s = value.replace(/[\s-]+/g, '');
  if (version === 10) {
    if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(s)) return false;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (i + 1) * Number(s[i]);
    sum += s[9] === 'X' ? 100 : 10 * Number(s[9]);
    return sum % 11 === 0;
  }
  if (!/^[0-9]{13}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(s[i]);
  return Number(s[12]) - ((10 - (sum % 10)) % 10) === 0;
}

function isCreditCard(value: string): boolean {
  const digits = value.replace(/[^0-9]+/g, '');
  if (!creditCardPattern.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      sum += d >= 10 ? (d % 10) + 1 : d;
    } else {
      sum += d;
    }
    double = !double;
  }
  return sum % 10 === 0;
}

/** net.ParseIP (sloppy: leading zeros allowed in IPv4 octets). */
function parsesAsIp(value: string): boolean {
  return isIP(value.replace(/(^|\.)0+(\d)/g, '$1$2')) !== 0 || isIP(value) !== 0;
}

const checks: Record<string, FormatCheck> = {
  bsonobjectid: (v) => /^[0-9a-fA-F]{24}$/.test(v),
  uri: isRequestUri,
  email: isEmail,
  hostname: isHostname,
  ipv4: (v) => parsesAsIp(v) && v.includes('.'),
  ipv6: (v) => isIP(v) === 6 && v.includes(':'),
  cidr: isCidr,
  mac: isMac,
  uuid: (v) => uuidPattern.test(v),
  uuid3: (v) => uuid3Pattern.test(v),
  uuid4: (v) => uuid4Pattern.test(v),
  uuid5: (v) => uuid5Pattern.test(v),
  isbn: (v) => isIsbn(v, 10) || isIsbn(v, 13),
  isbn10: (v) => isIsbn(v, 10),
  isbn13: (v) => isIsbn(v, 13),
  creditcard: isCreditCard,
  ssn: (v) => v.length === 11 && /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: (v) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v),
  rgbcolor: (v) => rgbColorPattern.test(v),
  byte: (v) => base64Pattern.test(v),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/** Go-openapi normalizes format names by dropping dashes: "date-time" is "datetime". */
function normalize(format: string): string {
  return format.replaceAll('-', '').toLowerCase();
}

/** True when the API server validates this format (others are stripped and never checked). */
export function isSupportedFormat(format: string): boolean {
  return Object.hasOwn(checks, normalize(format));
}

export function checkFormat(format: string, value: string): boolean {
  const check = checks[normalize(format)];
  return check === undefined ? true : check(value);
}
