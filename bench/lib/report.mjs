// Turns the repeats into rows (medians, ratios to the baseline of the same run, targets) and prints them.

/** What each HTTP row measures, its baseline in the same run, and its target (ratio >= min). */
export function httpRows({ pool, fresh, quick }) {
  return [
    { key: 'public', label: 'GET /resource/public (resource baseline)' },
    { key: 'protectedOne', label: 'GET /resource/protected, 1 token', baseline: 'public', min: 0.9 },
    { key: 'protectedPool', label: `GET /resource/protected, ${pool} tokens`, baseline: 'public', min: 0.9 },
    { key: 'protectedNoFeed', label: 'GET /resource/protected, 1 token, REVOCATION_FEED_URI=off (feed baseline)' },
    { key: 'protectedFeed', label: 'GET /resource/protected, 1 token, revocation feed on', baseline: 'protectedNoFeed', min: 0.95 },
    { key: 'protectedBearerHot', label: 'GET /resource/protected, 1 token, Bearer (DPoP baseline)' },
    { key: 'protectedDpopES256', label: 'GET /resource/protected, 1 DPoP-bound token, a new ES256 proof each', baseline: 'protectedBearerHot' },
    { key: 'protectedDpopEdDSA', label: 'GET /resource/protected, 1 DPoP-bound token, a new EdDSA proof each', baseline: 'protectedBearerHot' },
    { key: 'publicCold', label: 'GET /resource/public (baseline of the next two)' },
    {
      key: 'protectedFresh',
      label: `GET /resource/protected, ${fresh} fresh tokens, ${quick ? 'smoke (fewer than the cache holds)' : 'each unseen'}`,
      baseline: 'publicCold',
      min: 0.7,
    },
    { key: 'protectedForged', label: `GET /resource/protected, ${fresh} forged tokens (all 401)`, baseline: 'publicCold', min: 0.8 },
    { key: 'barePublic', label: 'bare Nest + fast-jwt guard: GET /resource/public (the bar)' },
    { key: 'bareFresh', label: `bare Nest + fast-jwt guard: GET /resource/protected, ${fresh} fresh tokens (the bar)` },
    { key: 'publicCold', label: 'GET /resource/public as shipped vs the bare app (observability cost)', baseline: 'barePublic', min: 0.7 },
    { key: 'protectedFresh', label: 'GET /resource/protected, fresh tokens vs the fast-jwt guard', baseline: 'bareFresh', min: 1.0 },
    { key: 'protectedOne', label: 'GET /resource/protected, 1 token vs the fast-jwt guard, fresh', baseline: 'bareFresh', min: 1.0 },
    { key: 'authLive', label: 'GET /health/live (auth baseline)' },
    { key: 'jwks', label: 'GET /.well-known/jwks.json', baseline: 'authLive', min: 0.9 },
    { key: 'refresh', label: 'POST /auth/refresh', baseline: 'sign', min: 0.5 },
    { key: 'clientCredentials', label: 'POST /oauth/token, client_credentials (Basic)', baseline: 'sign', min: 0.7 },
    { key: 'tokenExchange', label: 'POST /oauth/token, token exchange (RFC 8693, Basic)', baseline: 'sign', min: 0.4 },
    { key: 'authorizeLive', label: 'GET /oauth/authorize, live SSO session, first-party (303 with a code)', baseline: 'authLive' },
    { key: 'codeExchange', label: 'POST /oauth/token, authorization_code + PKCE (access, refresh and ID token)', baseline: 'sign', min: 0.3 },
    { key: 'login', label: 'POST /auth/login (argon2id-bound, no target)' },
  ];
}

const READY_TARGET_MS = 1500;
/** Issue 15: auth-service after 40 logins and the refresh load, resource-service after the fresh and forged rows. */
const RSS_TARGET_MB = { auth: 150, resource: 130 };

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rate of a row's baseline in one repeat: another route's 2xx/s, or the raw signing rate. */
function baselineRate(repeat, baseline) {
  return baseline === 'sign' ? repeat.crypto.signPerSecond : repeat.loads[baseline]?.rps;
}

/** Medians over the repeats; a ratio is taken within each repeat first, then its median. */
export function summarize(repeats, sizes) {
  const rows = httpRows(sizes).map((row) => {
    const runs = repeats.map((repeat) => repeat.loads[row.key]).filter(Boolean);
    if (runs.length === 0) return { ...row, skipped: repeats[0]?.skipped?.[row.key] ?? 'not run' };
    const ratios = row.baseline ? repeats.map((r) => r.loads[row.key] && r.loads[row.key].rps / baselineRate(r, row.baseline)) : [];
    const ratio = median(ratios);
    const throttled = runs.reduce((sum, run) => sum + (run.statuses['429'] ?? 0), 0);
    return {
      ...row,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      cpuUs: median(runs.map((r) => r.serverCpuUs)),
      ratio,
      failures: runs.reduce((sum, run) => sum + run.failures, 0),
      throttled,
      pass: row.min === undefined ? undefined : ratio !== undefined && ratio >= row.min,
    };
  });
  const crypto = {
    signPerSecond: median(repeats.map((r) => r.crypto.signPerSecond)),
    verifyPerSecond: median(repeats.map((r) => r.crypto.verifyPerSecond)),
  };
  const services = ['auth', 'resource'].map((name) => {
    const readyMs = median(repeats.map((r) => r.ready[name]));
    const rssMb = median(repeats.map((r) => r.memory[name]?.rssMb));
    const peakMb = median(repeats.map((r) => r.memory[name]?.peakMb));
    return { name, readyMs, rssMb, peakMb, readyPass: readyMs < READY_TARGET_MS, rssPass: rssMb <= RSS_TARGET_MB[name] };
  });
  return { rows, crypto, services };
}

const fmt = (value, digits = 0) =>
  value === undefined ? '-' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (pass) => (pass === undefined ? '' : pass ? 'pass' : 'FAIL');

/** The table `npm run bench` prints (also used in docs/performance.md). */
export function formatTable(summary, algorithm) {
  const lines = [
    ['what', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'ratio', 'target', 'result'],
    ...summary.rows.map((row) =>
      row.skipped
        ? [row.label, row.skipped, '', '', '', '', row.min ? `>= ${row.min.toFixed(2)}x ${baselineName(row.baseline)}` : '', '']
        : [
            row.label + (row.throttled ? ` (${row.throttled} x 429)` : '') + (row.failures ? ` [${row.failures} errors]` : ''),
            fmt(row.rps),
            fmt(row.p50, 2),
            fmt(row.p99, 2),
            fmt(row.cpuUs, row.cpuUs >= 1000 ? 0 : 1),
            row.ratio === undefined ? '' : `${(Math.floor(row.ratio * 100) / 100).toFixed(2)}x`, // floored: 0.799 is not 0.80
            row.min ? `>= ${row.min.toFixed(2)}x ${baselineName(row.baseline)}` : row.baseline ? `(vs ${baselineName(row.baseline)})` : '',
            verdict(row.pass),
          ],
    ),
    [`${algorithm} sign, node:crypto, 1 core`, fmt(summary.crypto.signPerSecond), '', '', fmt(1e6 / summary.crypto.signPerSecond, 1), '', 'the limit', ''],
    [
      `${algorithm} verify, node:crypto, 1 core`,
      fmt(summary.crypto.verifyPerSecond),
      '',
      '',
      fmt(1e6 / summary.crypto.verifyPerSecond, 1),
      '',
      'the limit',
      '',
    ],
    ...summary.services.flatMap((s) => [
      [`${s.name}-service ready after start`, `${fmt(s.readyMs)} ms`, '', '', '', '', `< ${READY_TARGET_MS} ms`, verdict(s.readyPass)],
      [
        `${s.name}-service RSS after load (peak)`,
        `${fmt(s.rssMb)} MB (${fmt(s.peakMb)})`,
        '',
        '',
        '',
        '',
        `<= ${RSS_TARGET_MB[s.name]} MB`,
        verdict(s.rssPass),
      ],
    ]),
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => String(line[i]).length)));
  const render = (line) => `| ${line.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join(' | ')} |`;
  return [
    render(lines[0]),
    `|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + (i === 0 ? 1 : 1)) + (i === 0 ? '' : ':')).join('|')}|`,
    ...lines.slice(1).map(render),
  ].join('\n');
}

function baselineName(baseline) {
  return (
    { public: 'public', publicCold: 'public', protectedNoFeed: 'feed off', authLive: 'auth live', sign: 'raw sign', barePublic: 'bare', bareFresh: 'fast-jwt' }[
      baseline
    ] ?? baseline
  );
}
