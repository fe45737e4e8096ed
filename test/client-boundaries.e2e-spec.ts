import request from 'supertest';
import { clientsCommand } from '../apps/auth-service/src/cli/clients.command.js';
import { ClientsService } from '../apps/auth-service/src/clients/clients.service.js';
import { DATABASE, type Database } from '../apps/auth-service/src/database/database.js';
import { UsersService } from '../apps/auth-service/src/users/users.service.js';
import { startAuth, tempDir, type RunningAuth } from './support/auth-app.js';
import { claimsOf, registerClient } from './support/oauth.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scope on refresh (RFC 6749 §6) and the boundaries between clients at `/auth/*`, `/oauth/revoke` and
 * `/oauth/introspect` (RFC 7662 §4; docs/oauth.md), on the embedded database and PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('client boundaries (%s)', (driver) => {
  let db: TestDatabase | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let auth: RunningAuth;
  let appSecret: string;
  let svcSecret: string;

  beforeAll(async () => {
    dir = await tempDir();
    db = driver === 'postgres' ? await createTestDatabase() : undefined;
    auth = await startAuth({ AUTH_AUDIENCE: 'resource-service', ...(db ? { DATABASE_URL: db.url } : {}) }, { dir: dir.dir });
    await auth.app.get(UsersService).create('dana', 'correct horse', ['profile', 'resource:read', 'resource:admin']);
    appSecret = await registerClient(auth, { id: 'web-app', grantTypes: ['password', 'refresh_token'], scopes: ['profile', 'resource:read'] });
    svcSecret = await registerClient(auth, { id: 'svc', scopes: ['resource:read'], audiences: ['billing-api'] });
  });
  afterAll(async () => {
    await auth?.close();
    await db?.drop();
    await dir?.remove();
  });

  const token = (form: Record<string, string>, basic?: [string, string]) => {
    const req = request(auth.url).post('/oauth/token').type('form');
    return (basic ? req.auth(...basic) : req).send(form);
  };
  const appTokens = async () =>
    (await token({ grant_type: 'password', username: 'dana', password: 'correct horse' }, ['web-app', appSecret]).expect(200)).body as {
      access_token: string;
      refresh_token: string;
    };
  const svcToken = async (form: Record<string, string> = {}) =>
    (await token({ grant_type: 'client_credentials', ...form }, ['svc', svcSecret]).expect(200)).body.access_token as string;
  const cursor = async () => {
    await sleep(300); // past the 250 ms memo of the latest cursor
    return (await request(auth.url).get('/oauth/revocations').expect(200)).body.cursor as string;
  };
  const introspect = (as: [string, string], subject: string) =>
    request(auth.url)
      .post('/oauth/introspect')
      .auth(...as)
      .type('form')
      .send({ token: subject });

  describe('scope on refresh never widens (RFC 6749 §6)', () => {
    it('password grant for default with scope=profile, then refresh at /oauth/token and at /auth/refresh: still profile', async () => {
      const first = await token({ grant_type: 'password', client_id: 'default', username: 'dana', password: 'correct horse', scope: 'profile' }).expect(200);
      expect(first.body.scope).toBe('profile');
      const viaOAuth = await token({ grant_type: 'refresh_token', client_id: 'default', refresh_token: first.body.refresh_token }).expect(200);
      expect(viaOAuth.body.scope).toBe('profile');
      expect(claimsOf(viaOAuth.body.access_token).scope).toBe('profile');
      const viaAuth = await request(auth.url).post('/auth/refresh').send({ refresh_token: viaOAuth.body.refresh_token }).expect(200);
      expect(viaAuth.body.scope).toBe('profile');
      expect(claimsOf(viaAuth.body.access_token).scope).toBe('profile');
      // Asking for more at the refresh is refused, not granted.
      const wider = await token({ grant_type: 'refresh_token', client_id: 'default', refresh_token: viaAuth.body.refresh_token, scope: 'resource:admin' });
      expect(wider.status).toBe(400);
      expect(wider.body.error).toBe('invalid_scope');
    });

    it('a login without a narrower scope keeps every scope of the user through its refreshes', async () => {
      const login = await request(auth.url).post('/auth/login').send({ username: 'dana', password: 'correct horse' }).expect(200);
      expect(login.body.scope).toBe('profile resource:read resource:admin');
      const next = await request(auth.url).post('/auth/refresh').send({ refresh_token: login.body.refresh_token }).expect(200);
      expect(next.body.scope).toBe('profile resource:read resource:admin');
    });

    it('a session stored before the scope always was (NULL) refreshes to the default scopes, never to all of the user', async () => {
      const login = await request(auth.url).post('/auth/login').send({ username: 'dana', password: 'correct horse' }).expect(200);
      await auth.app.get<Database>(DATABASE).run('UPDATE refresh_families SET scope = NULL WHERE id = $1', [claimsOf(login.body.access_token).sid]);
      const next = await request(auth.url).post('/auth/refresh').send({ refresh_token: login.body.refresh_token }).expect(200);
      expect(next.body.scope).toBe('profile resource:read');
    });
  });

  describe('/auth/* act for default only', () => {
    it("/auth/logout with another client's refresh token answers exactly as for an unknown token, and the token keeps working", async () => {
      const { refresh_token } = await appTokens();
      const unknown = await request(auth.url)
        .post('/auth/logout')
        .send({ refresh_token: `x${refresh_token.slice(1)}` });
      const foreign = await request(auth.url).post('/auth/logout').send({ refresh_token });
      expect({ status: foreign.status, body: foreign.body }).toEqual({ status: unknown.status, body: unknown.body });
      expect(foreign.status).toBe(400);
      await token({ grant_type: 'refresh_token', refresh_token }, ['web-app', appSecret]).expect(200);
    });

    it("/auth/revoke and /oauth/revoke as default with another client's refresh or access token: 200, and nothing changes", async () => {
      const app = await appTokens();
      const svc = await svcToken();
      const before = await cursor();
      for (const subject of [app.refresh_token, app.access_token, svc]) {
        await request(auth.url).post('/auth/revoke').send({ token: subject }).expect(200);
        await request(auth.url).post('/oauth/revoke').type('form').send({ token: subject, client_id: 'default' }).expect(200);
      }
      // Confidential clients cannot touch each other's tokens at /oauth/revoke either.
      await request(auth.url).post('/oauth/revoke').auth('svc', svcSecret).type('form').send({ token: app.access_token }).expect(200);
      await request(auth.url).post('/oauth/revoke').auth('web-app', appSecret).type('form').send({ token: svc }).expect(200);
      expect(await cursor()).toBe(before);
      expect((await introspect(['web-app', appSecret], app.access_token).expect(200)).body.active).toBe(true);
      expect((await introspect(['svc', svcSecret], svc).expect(200)).body.active).toBe(true);
      await token({ grant_type: 'refresh_token', refresh_token: app.refresh_token }, ['web-app', appSecret]).expect(200);
    });
  });

  describe('introspection (RFC 7662 §4)', () => {
    it('a client sees its own tokens; not the tokens of another client', async () => {
      const app = await appTokens();
      const svc = await svcToken();
      expect((await introspect(['svc', svcSecret], svc).expect(200)).body).toMatchObject({ active: true, client_id: 'svc' });
      expect((await introspect(['svc', svcSecret], app.access_token).expect(200)).body).toEqual({ active: false });
      expect((await introspect(['web-app', appSecret], svc).expect(200)).body).toEqual({ active: false });
      expect((await introspect(['svc', svcSecret], app.refresh_token).expect(200)).body).toEqual({ active: false });
    });

    it("--introspect sees other clients' tokens only when their aud names an audience it serves (default: its own id)", async () => {
      const gatewaySecret = await registerClient(auth, { id: 'gateway', introspect: true, serves: ['resource-service'] });
      const billingSecret = await registerClient(auth, { id: 'billing-api', introspect: true });
      const plainSecret = await registerClient(auth, { id: 'plain-rs', serves: ['resource-service'] });
      const app = await appTokens(); // aud resource-service
      const billing = await svcToken({ audience: 'billing-api' }); // aud billing-api
      expect((await introspect(['gateway', gatewaySecret], app.access_token).expect(200)).body).toMatchObject({ active: true, client_id: 'web-app' });
      expect((await introspect(['gateway', gatewaySecret], billing).expect(200)).body).toEqual({ active: false });
      expect((await introspect(['billing-api', billingSecret], billing).expect(200)).body).toMatchObject({ active: true, aud: 'billing-api' });
      expect((await introspect(['billing-api', billingSecret], app.access_token).expect(200)).body).toEqual({ active: false });
      // Serving an audience is not enough without --introspect; refresh tokens stay their client's own.
      expect((await introspect(['plain-rs', plainSecret], app.access_token).expect(200)).body).toEqual({ active: false });
      expect((await introspect(['gateway', gatewaySecret], app.refresh_token).expect(200)).body).toEqual({ active: false });
    });

    it('clients add --serves … --introspect is stored and listed', async () => {
      const lines: string[] = [];
      const clients = auth.app.get(ClientsService);
      const run = (...args: string[]) => clientsCommand(clients, args, (line) => lines.push(line));
      expect(await run('add', 'edge', '--serves', 'orders-api', '--serves', 'billing-api', '--introspect', '--json')).toBe(0);
      expect(await clients.find('edge')).toMatchObject({ serves: ['orders-api', 'billing-api'], introspect: true });
      expect(await clients.find('svc')).toMatchObject({ serves: [], introspect: false });
      lines.length = 0;
      expect(await run('list')).toBe(0);
      expect(lines.join('\n')).toMatch(/^edge\s+confidential\s+client_credentials\s+-\s+-\s+orders-api billing-api\s+yes\s+no\s+-\s+-\s+active/m);
      expect(lines.join('\n')).toMatch(/^svc\s+confidential\s+client_credentials\s+resource:read\s+billing-api\s+svc\s+no\s+no\s+-\s+-\s+active/m);
    });
  });
});
