/**
 * Number formatting the way Go prints it, because Kubernetes' messages are produced by Go's fmt:
 * `%v` of a float64 is strconv's shortest 'g' form (1e+06, 1.5, 1e-05), while int64 prints plainly.
 */

export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '0', expText = '0'] = value.toExponential().split('e');
  const exp = Number(expText);
  // Shortest 'g' formatting uses an exponent below 1e-4 and from 1e+06 on.
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(value);
}

/** `%v` of a JSON number, which Go decodes to int64 when integral and float64 otherwise. */
export function formatGoNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63
    ? BigInt(value).toString()
    : formatGoFloat(value);
}
