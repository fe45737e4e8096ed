const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

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
