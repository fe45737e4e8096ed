// The load generator: autocannon's programmatic API over loopback. Routes compared with each other
// (a route and its baseline) run interleaved in short slices, so a burst of other work on the machine
// hits them alike; a route's rate counts 2xx answers only (or the one status a route expects: 401 for forged tokens). Latency comes from every answer's own time.
import autocannon from 'autocannon';
import { cpuSecondsOf } from './services.mjs';
import { LatencyHistogram } from './latency.mjs';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Load without measuring, so the JIT has compiled the route before it is timed. */
export async function warm(spec, { warmup, connections }) {
  if (warmup <= 0) return;
  const tracker = autocannon({ ...(await spec.options({ connections })), connections, duration: warmup });
  if (spec.answered) tracker.on('response', (client) => spec.answered(client));
  await tracker;
}

/**
 * Measures `routes` ([key, spec, pid] each) for `duration` seconds apiece, in `slices` rounds of
 * A, B, C, A, B, C... after a warm-up of each. `spec.options()` is called before every run, so that
 * stateful loads (refresh chains) start from fresh state. Returns { [key]: summary }.
 */
export async function measureInterleaved(routes, { duration, warmup, connections, slices }) {
  for (const [, spec] of routes) await warm(spec, { warmup, connections });
  const totals = new Map(routes.map(([key]) => [key, emptyTotals()]));
  for (let slice = 0; slice < slices; slice += 1) {
    for (const [key, spec, pid] of routes) addSlice(totals.get(key), await runSlice(spec, pid, connections, duration / slices), spec.expect);
  }
  return Object.fromEntries(routes.map(([key, spec]) => [key, summarize(totals.get(key), spec)]));
}

/** Whether `status` is the answer a route is measured by: 2xx, or the one status `expect` names (401 for forged tokens). */
const counted = (status, expect) => (expect === undefined ? status >= 200 && status < 300 : status === expect);

async function runSlice(spec, pid, connections, duration) {
  const options = await spec.options({ connections });
  const latencies = new LatencyHistogram();
  const cpuBefore = await cpuSecondsOf(pid);
  const tracker = autocannon({ ...options, connections, duration });
  tracker.on('response', (client, statusCode, _bytes, responseTimeMs) => {
    spec.answered?.(client);
    if (counted(statusCode, spec.expect)) latencies.record(responseTimeMs);
  });
  const result = await tracker;
  const cpuAfter = await cpuSecondsOf(pid);
  return { result, latencies, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function emptyTotals() {
  return { ok: 0, answered: 0, seconds: 0, cpu: 0, cpuKnown: true, errors: 0, timeouts: 0, mismatches: 0, statuses: {}, latencies: new LatencyHistogram() };
}

function addSlice(totals, { result, latencies, cpu }, expect) {
  totals.ok += expect === undefined ? result['2xx'] : (result.statusCodeStats[expect]?.count ?? 0);
  totals.answered += result.requests.total;
  totals.seconds += result.duration;
  totals.errors += result.errors;
  totals.timeouts += result.timeouts;
  totals.mismatches += result.mismatches;
  if (cpu === undefined) totals.cpuKnown = false;
  else totals.cpu += cpu;
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) totals.statuses[code] = (totals.statuses[code] ?? 0) + count;
  totals.latencies.add(latencies);
}

function summarize(totals, { expect, tolerated = [] }) {
  const unexpected = Object.entries(totals.statuses)
    .filter(([code]) => !counted(Number(code), expect) && !tolerated.includes(Number(code)))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    rps: totals.ok / totals.seconds,
    p50: totals.latencies.percentile(50),
    p99: totals.latencies.percentile(99),
    requests: totals.answered,
    statuses: totals.statuses,
    errors: totals.errors,
    timeouts: totals.timeouts,
    mismatches: totals.mismatches,
    /** Connection errors, mismatched bodies and statuses that are neither the counted one nor tolerated. */
    failures: totals.errors + totals.mismatches + unexpected,
    /** Server CPU (all its threads) per answered request: less sensitive to other load than requests/s. */
    serverCpuUs: totals.cpuKnown && totals.answered > 0 ? (totals.cpu * 1e6) / totals.answered : undefined,
  };
}

/** The same request on every connection (autocannon takes the path from the URL). */
export function fixed(baseUrl, { path, ...request }) {
  return { options: () => ({ url: `${baseUrl}${path}`, ...request }) };
}

/**
 * Bearer calls over the whole pool of `tokens`: the pool is dealt out to the connections (each cycles
 * through its own share), so the server sees every token in turn while each connection's prebuilt
 * requests stay few (all 1,000 on every connection made the load generator itself slower).
 * `resume`: each slice (a new autocannon run) goes on where the connection's previous one stopped,
 * instead of starting its share over: the fresh-token row needs every token to come round again only
 * after more than the verified-token cache holds (without it, every slice after the first re-sent
 * the tokens the previous slice had just put in the cache). Answers are counted from the tracker's
 * `response` event (`answered`), not with a per-request `onResponse`: that callback makes autocannon
 * rebuild every answer's headers into an object, load-generator work the rows compared with these
 * (public, one token) do not do.
 */
export function tokenPool(url, path, tokens, { expect, resume = false } = {}) {
  const requests = tokens.map((token) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }));
  const sent = new Map();
  const connectionOf = new WeakMap();
  return {
    expect,
    answered: resume
      ? (client) => {
          const index = connectionOf.get(client);
          if (index !== undefined) sent.set(index, (sent.get(index) ?? 0) + 1);
        }
      : undefined,
    options: ({ connections }) => {
      let client = 0;
      return {
        url,
        setupClient: (connection) => {
          const index = client++;
          const share = requests.filter((_, i) => i % connections === index % connections);
          if (share.length === 0) return connection.setRequests([requests[index % requests.length]]);
          if (!resume) return connection.setRequests(share);
          connectionOf.set(connection, index);
          const offset = (sent.get(index) ?? 0) % share.length;
          connection.setRequests([...share.slice(offset), ...share.slice(0, offset)]);
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
                if (status !== 200) return;
                try {
                  chain.token = JSON.parse(body).refresh_token;
                } catch {
                  chain.token = undefined; // the next refresh then fails visibly (non-2xx)
                }
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
