/** One sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Metric family name → TYPE. */
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the sample with exactly these labels (0 when absent). */
  value(name: string, labels?: Record<string, string>): number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  // Prometheus reads values with Go's ParseFloat, which takes NaN in any letter case (prom-client writes "Nan").
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad sample value in: ${line}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad label set in: ${line}`);
    if (match[1] in labels) throw new Error(`repeated label ${match[1]} in: ${line}`);
    labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
  }
  return labels;
}

/** The family a sample belongs to, given the declared types (histogram `x_bucket` → `x`). */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name) && !SUFFIXES[types.get(name)!]) return name;
  for (const [family, type] of types) {
    if ((SUFFIXES[type] ?? []).some((suffix) => name === family + suffix)) return family;
  }
  return undefined;
}

/**
 * A strict reader of the text format (version 0.0.4): HELP/TYPE comments, one TYPE per family
 * before its samples, valid metric and label names, escaped label values, numeric values, no
 * duplicate series, and histograms whose cumulative buckets never decrease and end in
 * `le="+Inf"` equal to `_count`. Throws on the first violation.
 */
export function parsePrometheusText(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
      if (!keyword) continue;
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`bad type in: ${line}`);
        if (types.has(name)) throw new Error(`second TYPE for ${name}`);
        types.set(name, rest);
      }
      continue;
    }
    const [, name, labelText = '', valueText] = /^([^\s{]+)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line) ?? [];
    if (!name || !METRIC_NAME.test(name)) throw new Error(`bad sample line: ${line}`);
    if (!familyOf(name, types)) throw new Error(`sample of an undeclared family: ${line}`);
    const labels = parseLabels(labelText, line);
    const key = `${name}{${Object.entries(labels)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}}`;
    if (seen.has(key)) throw new Error(`duplicate series ${key}`);
    seen.add(key);
    samples.push({ name, labels, value: parseValue(valueText, line) });
  }
  checkHistograms(types, samples);
  const value = (name: string, labels: Record<string, string> = {}): number => {
    const wanted = Object.entries(labels);
    const found = samples.find((s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v));
    return found?.value ?? 0;
  };
  return { types, samples, value };
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
    const seriesOf = (labels: Record<string, string>) => {
      const { le: _le, ...rest } = labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      if (!series.has(key)) series.set(key, { buckets: [] });
      return series.get(key)!;
    };
    for (const sample of samples) {
      if (sample.name === `${family}_bucket`) seriesOf(sample.labels).buckets.push([parseValue(sample.labels.le, sample.labels.le), sample.value]);
      if (sample.name === `${family}_count`) seriesOf(sample.labels).count = sample.value;
    }
    for (const [key, { buckets, count }] of series) {
      buckets.sort((a, b) => a[0] - b[0]);
      buckets.forEach(([, cumulative], i) => {
        if (i > 0 && cumulative < buckets[i - 1][1]) throw new Error(`${family}${key}: buckets decrease`);
      });
      const last = buckets.at(-1);
      if (!last || last[0] !== Number.POSITIVE_INFINITY || last[1] !== count) throw new Error(`${family}${key}: +Inf bucket missing or not equal to _count`);
    }
  }
}
