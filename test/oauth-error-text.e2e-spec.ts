import { startAuth, type RunningAuth } from './support/auth-app.js';
import { LogCapture } from './support/log-capture.js';

/** RFC 6749 5.2: `error_description` holds only %x20-21 / %x23-5B / %x5D-7E. */
const DESCRIPTION_CHARSET = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
/** Request text with a CR/LF, a quote and a backslash; the marker would start a forged log line. */
const HOSTILE = 'read\r\nFORGED-LINE level=error "quoted" back\\slash';

async function post(auth: RunningAuth, path: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${auth.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The requests whose refusal used to repeat request text: a requested scope, an unknown field's name, a non-scalar field's name. */
const CASES: Array<[string, string, string]> = [
  [
    'a requested scope',
    '/oauth/token',
    JSON.stringify({ grant_type: 'password', client_id: 'default', username: 'testuser', password: 'password', scope: HOSTILE }),
  ],
  ['an unknown field on /oauth/*', '/oauth/token', JSON.stringify({ grant_type: 'password', client_id: 'default', [HOSTILE]: 'x' })],
  ['a non-scalar field on /oauth/*', '/oauth/token', JSON.stringify({ grant_type: 'password', client_id: 'default', [HOSTILE]: ['x'] })],
  ['an unknown field on /auth/*', '/auth/login', JSON.stringify({ username: 'testuser', password: 'password', [HOSTILE]: 'x' })],
];

/**
 * Issue 21, item 8: raw request text never reaches an error description or a log line. The logs are
 * read as JSON lines (nestjs-pino keeps the first logger of a process, so one format per test file);
 * a pretty line is the same message, printed as it is.
 */
describe('request text in error answers and logs', () => {
  const capture = new LogCapture();
  let auth: RunningAuth;

  beforeAll(async () => {
    auth = await startAuth({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug', DEMO_USER: 'testuser:password' }, { logStream: capture });
  });
  afterAll(() => auth.close());

  it.each(CASES)('%s: the answer is within RFC 6749 5.2 and the logs hold no CR/LF from it', async (_name, path, body) => {
    const answer = await post(auth, path, body);
    expect(answer.status).toBe(400);
    const description = String(answer.body.error_description ?? ([] as string[]).concat(answer.body.message as string[]).join('; '));
    expect(description).toMatch(DESCRIPTION_CHARSET);
    expect(description).not.toContain('FORGED-LINE');
    expect(description).toContain('(not shown)');
    // Response lines are written after the answer; give the logger a moment, then read everything.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(capture.lines.length).toBeGreaterThan(0);
    expect(capture.text).not.toContain('FORGED-LINE');
    for (const record of capture.records()) expect(JSON.stringify(record)).not.toMatch(/\\r|FORGED/);
  });

  it('a scope token that is merely not allowed is still named', async () => {
    const answer = await post(
      auth,
      '/oauth/token',
      JSON.stringify({ grant_type: 'password', client_id: 'default', username: 'testuser', password: 'password', scope: 'profile payroll:write' }),
    );
    expect(answer).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: 'not allowed for this client: payroll:write' } });
  });
});
