/** intstr.GetScaledValueFromIntOrPercent: `2` stays 2, `"50%"` of 5 is 3 rounding up or 2 rounding down. */
import type { IntOrString } from './kinds.ts';

export function isPercent(value: IntOrString): value is string {
  return typeof value === 'string' && value.endsWith('%');
}

/** Throws, naming `field` and the rule, on a string that is neither an integer nor a percentage. */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean, field: string): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  if (percent !== null) {
    const exact = (Number(percent[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  if (/^\d+$/.test(value)) return Number(value);
  throw new Error(
    `${field}: invalid value ${JSON.stringify(value)}: must be an integer or a percentage (e.g. "25%")`,
  );
}
