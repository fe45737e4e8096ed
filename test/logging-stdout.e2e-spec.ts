import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT, ServiceProcess } from './support/service-process.js';

const accessLinesOf = (service: ServiceProcess, requestId: string) =>
  service.records.filter((record) => record.msg === 'request completed' && String(record.reqId).startsWith(requestId));

/**
 * stdout is written in batches (docs/operations.md "Logs"): a built service as a real process must
 * still deliver a lone line while it keeps running, and every line on a graceful stop.
 */
describe('access lines on stdout, batched', () => {
  let dir: string;
  let auth: ServiceProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stdout-'));
    auth = await ServiceProcess.start(BUILT.auth, { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data') });
  });
  afterAll(async () => {
    await auth.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the line of a single request while the service runs on, far short of a batch', async () => {
    const answer = await fetch(`${auth.url}/.well-known/jwks.json`, { headers: { 'x-request-id': 'lone-request' } });
    expect(answer.status).toBe(200);
    const line = await auth.waitForLog((record) => record.reqId === 'lone-request', 5_000);
    expect(line).toMatchObject({ level: 'info', msg: 'request completed', req: { method: 'GET', url: '/.well-known/jwks.json' }, res: { statusCode: 200 } });
    expect(auth.running).toBe(true);
  });

  it('loses no line of the requests answered just before a SIGTERM', async () => {
    const count = 40;
    for (let i = 0; i < count; i += 1) {
      const answer = await fetch(`${auth.url}/.well-known/jwks.json`, { headers: { 'x-request-id': `before-stop-${i}` } });
      expect(answer.status).toBe(200);
    }
    expect(await auth.stop()).toBe(0);
    expect(accessLinesOf(auth, 'before-stop-').map((record) => record.reqId)).toEqual(Array.from({ length: count }, (_, i) => `before-stop-${i}`));
  });
});
