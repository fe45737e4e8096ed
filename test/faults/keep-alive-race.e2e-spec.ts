import { Agent, request as httpRequest } from 'node:http';
import { BUILT, ServiceProcess, sleep } from '../support/service-process.js';

const CONNECTIONS = 64;
/** The client's pause: past the old 5 s keep-alive (+ node's 1 s buffer), far below the new 75 s. */
const BUSY_MS = 7_000;

/** One GET on `agent`; resolves with the status, or the connection-level error (no HTTP status) it met. */
function get(agent: Agent, url: string): Promise<{ status?: number; error?: string; reused: boolean }> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/resource/public`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reused: req.reusedSocket }));
    req.end();
  });
}

/** Blocks this thread, as a client minting tokens or collecting garbage does: it reads no FIN meanwhile. */
function busy(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface Round {
  reused: number;
  lost: number;
  errors: string[];
}

/**
 * The reproduction: 64 kept-alive connections, one request each; the client is busy for 7 s;
 * then 64 more requests, sent at once on the pooled sockets.
 */
async function busyClient(env: Record<string, string>): Promise<Round> {
  const resource = await ServiceProcess.start(BUILT.resource, { JWKS_URI: 'http://127.0.0.1:9/jwks.json', REVOCATION_FEED_URI: 'off', ...env });
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const first = await Promise.all(Array.from({ length: CONNECTIONS }, () => get(agent, resource.url)));
    expect(first.every((answer) => answer.status === 200)).toBe(true);
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(CONNECTIONS);
    busy(BUSY_MS);
    const second = await Promise.all(Array.from({ length: CONNECTIONS }, () => get(agent, resource.url)));
    const failed = second.filter((answer) => answer.status === undefined);
    return { reused: second.filter((answer) => answer.reused).length, lost: failed.length, errors: [...new Set(failed.map((answer) => answer.error!))] };
  } finally {
    agent.destroy();
    await resource.stop();
  }
}

describe('fault: a kept-alive client busy past the keep-alive timeout (docs/operations.md "HTTP timeouts")', () => {
  it(`loses no request on ${CONNECTIONS} pooled connections after ${BUSY_MS / 1000} s busy, with the default keep-alive`, async () => {
    const round = await busyClient({});
    process.stdout.write(`keep-alive race, default keep-alive: ${round.reused} of ${CONNECTIONS} requests reused a pooled connection, ${round.lost} lost\n`);
    expect(round).toEqual({ reused: CONNECTIONS, lost: 0, errors: [] });
  }, 40_000);

  it('loses requests with the old 5 s keep-alive: the race this default avoids, still there', async () => {
    const round = await busyClient({ HTTP_KEEP_ALIVE_TIMEOUT: '5s' });
    process.stdout.write(`keep-alive race, HTTP_KEEP_ALIVE_TIMEOUT=5s: ${round.lost} of ${CONNECTIONS} lost (${round.errors.join(', ')})\n`);
    expect(round.lost).toBeGreaterThan(0);
  }, 40_000);

  it('bounds idle connections by count: past HTTP_MAX_IDLE_CONNECTIONS the longest-idle are closed at once, the rest kept', async () => {
    const resource = await ServiceProcess.start(BUILT.resource, {
      JWKS_URI: 'http://127.0.0.1:9/jwks.json',
      REVOCATION_FEED_URI: 'off',
      HTTP_MAX_IDLE_CONNECTIONS: '8',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    try {
      const answers = await Promise.all(Array.from({ length: CONNECTIONS }, () => get(agent, resource.url)));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      await sleep(1_000);
      // The agent drops a pooled socket when the server closes it: what is left is what the server keeps.
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(8);
      const again = await Promise.all(Array.from({ length: 8 }, () => get(agent, resource.url)));
      expect(again.map((answer) => [answer.status, answer.reused])).toEqual(Array.from({ length: 8 }, () => [200, true]));
    } finally {
      agent.destroy();
      await resource.stop();
    }
  }, 30_000);
});
