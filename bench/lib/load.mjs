// The load generator: autocannon's programmatic API over loopback, one route at a time, a warm-up
// (not counted) then a measured run of fixed duration. A route's rate counts 2xx answers only.
import autocannon from 'autocannon';
import { cpuSecondsOf } from './services.mjs';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Runs `spec` (warm-up, then measured) and summarises the measured run. `spec.options()` is called
 * before each run so that stateful loads (refresh chains) start from fresh state every time.
 * `pid` is the server's process: its CPU time per answered request is recorded too (less sensitive
 * to other load on the machine than requests/s).
 */
export async function measure(spec, { duration, warmup, connections }, pid) {
  await warm(spec, { warmup, connections });
  const options = await spec.options();
  const cpuBefore = await cpuSecondsOf(pid);
  const result = await autocannon({ ...options, connections, duration });
  const cpuAfter = await cpuSecondsOf(pid);
  const summary = summarize(result, spec.tolerated ?? []);
  const answered = result.requests.total;
  summary.serverCpuUs = cpuBefore === undefined || cpuAfter === undefined || answered === 0 ? undefined : ((cpuAfter - cpuBefore) * 1e6) / answered;
  return summary;
}

/** Load without measuring, so the JIT has compiled the route before it is timed. */
export async function warm(spec, { warmup, connections }) {
  if (warmup > 0) await autocannon({ ...(await spec.options()), connections, duration: warmup });
}

function summarize(result, tolerated) {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const unexpected = Object.entries(statuses)
    .filter(([code]) => !code.startsWith('2') && !tolerated.includes(Number(code)))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    /** Connection errors, timeouts, mismatched bodies and statuses that are neither 2xx nor tolerated. */
    failures: result.errors + result.mismatches + unexpected,
  };
}

/** The same request on every connection (autocannon takes the path from the URL). */
export function fixed(baseUrl, { path, ...request }) {
  return { options: () => ({ url: `${baseUrl}${path}`, ...request }) };
}

/** Bearer calls cycling through `tokens`; each connection starts at another offset of the pool. */
export function tokenPool(url, path, tokens) {
  const requests = tokens.map((token) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }));
  return {
    options: () => {
      let client = 0;
      return {
        url,
        setupClient: (connection) => {
          const offset = Math.floor((client++ * 7919) % requests.length);
          connection.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
        },
      };
    },
  };
}

/**
 * POST /auth/refresh on chains: each connection starts from its own fresh refresh token (from
 * `freshTokens(n)`) and always sends the newest one its previous answer carried, since every refresh
 * token is single-use and rotated (reusing one would revoke its family).
 */
export function refreshChains(url, freshTokens, connections) {
  return {
    options: async () => {
      const start = await freshTokens(connections);
      let client = 0;
      return {
        url,
        setupClient: (connection) => {
          const chain = { token: start[client++ % start.length] };
          connection.setRequests([
            {
              method: 'POST',
              path: '/auth/refresh',
              headers: JSON_HEADERS,
              setupRequest: (request) => ({ ...request, body: JSON.stringify({ refresh_token: chain.token }) }),
              onResponse: (status, body) => {
                if (status === 200) chain.token = JSON.parse(body).refresh_token;
              },
            },
          ]);
        },
      };
    },
  };
}

/** POST /auth/login with the bench user's credentials; 429 (the brute-force throttle) is reported, not a failure. */
export function logins(url, credentials) {
  return {
    tolerated: [429],
    options: () => ({ url: `${url}/auth/login`, method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(credentials) }),
  };
}
