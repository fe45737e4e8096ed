import { join } from 'node:path';
import request from 'supertest';
import { startAuth, tempDir } from './support/auth-app.js';
import { BUILT, ServiceProcess } from './support/service-process.js';

/** Runs a built service with a bad setting: it must exit 1 before listening, naming the variable in the one form. */
async function refusedAtStart(script: string, env: Record<string, string>, variable: string): Promise<void> {
  const { dir, remove } = await tempDir();
  const service = ServiceProcess.launch(script, { KEYS_DIR: join(dir, 'keys'), DATA_DIR: join(dir, 'data'), ...env }, { stderr: 'collect' });
  let timer: NodeJS.Timeout | undefined;
  const stillRunning = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), 20_000)));
  try {
    expect(await Promise.race([service.exited, stillRunning])).toBe(1);
    const lines = service.records.map((record) => JSON.stringify(record));
    expect(lines.some((line) => line.includes(`Invalid configuration: ${variable} must be a boolean: true/false, 1/0, yes/no or on/off`))).toBe(true);
    expect(lines.some((line) => /listening on/.test(line))).toBe(false);
  } finally {
    clearTimeout(timer);
    await service.kill();
    await remove();
  }
}

describe('one configuration vocabulary across services', () => {
  it.each([
    ['auth-service', BUILT.auth, 'REGISTRATION_ENABLED'],
    ['auth-service', BUILT.auth, 'METRICS'],
    ['resource-service', BUILT.resource, 'METRICS'],
    ['resource-service', BUILT.resource, 'API_DOCS'],
  ])(
    'the built %s refuses %s=maybe at start in the same form',
    (_service, script, variable) => refusedAtStart(script, { [variable]: 'maybe' }, variable),
    30_000,
  );

  it.each(['yes', 'ON', '1'])('REGISTRATION_ENABLED=%s opens POST /auth/register, like METRICS and API_DOCS accept it', async (word) => {
    const auth = await startAuth({ REGISTRATION_ENABLED: word });
    try {
      await request(auth.url).post('/auth/register').send({ username: 'newbie', password: 'long enough' }).expect(201);
    } finally {
      await auth.close();
    }
  });

  it.each(['no', 'Off', '0'])('REGISTRATION_ENABLED=%s keeps it closed', async (word) => {
    const auth = await startAuth({ REGISTRATION_ENABLED: word });
    try {
      await request(auth.url).post('/auth/register').send({ username: 'newbie', password: 'long enough' }).expect(404);
    } finally {
      await auth.close();
    }
  });
});
