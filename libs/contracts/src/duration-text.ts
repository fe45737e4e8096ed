/** Milliseconds in each unit, for bounds written as `7 * DAY_MS` rather than a bare number. */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const UNITS: Record<string, number> = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** A duration written with its unit: `'500ms'`, `'30s'`, `'15m'`, `'12h'`, `'7d'`. */
export type DurationText = `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/**
 * Parses a duration (docs/configuration.md): a number of seconds (`900`) or a number with a unit
 * (`500ms`, `30s`, `15m`, `12h`, `7d`). Returns milliseconds, or undefined when the text is not one.
 * The environment's parser (`@app/config`) and the verifier's options (`@app/jwt-auth`) both read it.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * UNITS[match[2] ?? 's'];
  return Number.isFinite(value) ? Math.round(value) : undefined;
}
