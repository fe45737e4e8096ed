import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashClientSecret } from '../clients/client-secret.js';
import { ClientsRepository } from '../clients/clients.repository.js';
import { ClientsService } from '../clients/clients.service.js';
import type { Clock } from '../time/clock.js';
import { loadAuthConfig } from '../config/auth.config.js';
import type { Database } from '../database/database.js';
import { openDatabase } from '../database/database.module.js';
import { RevocationRepository } from '../revocation/revocation.repository.js';
import { RevocationRecorder } from '../revocation/revocation-recorder.js';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { clientsCommand } from './clients.command.js';

describe('clients command', () => {
  let dir: string;
  let db: Database;
  let clients: ClientsService;
  let sessions: SessionsService;
  let revocations: RevocationService;
  let lines: string[];
  const clock = {
    time: Date.UTC(2026, 0, 1),
    now(): number {
      return this.time;
    },
  } satisfies Clock & { time: number };
  const run = (...args: string[]) => clientsCommand(clients, args, (line) => lines.push(line));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clients-cli-'));
    const config = loadAuthConfig({ DATA_DIR: dir });
    db = await openDatabase(config.database, clock);
    const feed = new RevocationRepository(db);
    const recorder = new RevocationRecorder(feed, config.tokens);
    revocations = new RevocationService(feed, recorder, clock, config.tokens);
    sessions = new SessionsService(new SessionsRepository(db, recorder), clock, config.sessions);
    clients = new ClientsService(new ClientsRepository(db), sessions, clock, revocations, config.tokens);
    await db.run("INSERT INTO users (id, username, password_hash, scopes, created_at, updated_at) VALUES ('u1', 'ann', 'x', 'profile', 0, 0)");
    lines = [];
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('add --json prints the id and a 256-bit secret once, and stores only its hash', async () => {
    expect(await run('add', 'billing', '--grant', 'client_credentials', '--scope', 'resource:read resource:admin', '--audience', 'billing-api', '--json')).toBe(
      0,
    );
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]) as { client_id: string; client_secret: string };
    expect(printed.client_id).toBe('billing');
    expect(printed.client_secret).toMatch(/^nts_cs_[A-Za-z0-9_-]{43}$/);
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM clients WHERE id = $1', ['billing']);
    expect(row.secret_hash).toBe(hashClientSecret(printed.client_secret));
    expect(JSON.stringify(row)).not.toContain(printed.client_secret);
    expect(await clients.authenticate('billing', printed.client_secret)).toMatchObject({
      scopes: ['resource:read', 'resource:admin'],
      audiences: ['billing-api'],
    });
  });

  it('add without --json names the client and prints the secret with a warning', async () => {
    expect(await run('add', 'svc')).toBe(0);
    expect(lines[0]).toBe('created client svc (confidential; grants client_credentials; scopes (none))');
    expect(lines[1]).toMatch(/^client_secret: nts_cs_/);
  });

  it('add --public makes a client without a secret, authenticated by id alone', async () => {
    expect(await run('add', 'spa', '--public', '--grant', 'password', '--grant', 'refresh_token', '--json')).toBe(0);
    expect(JSON.parse(lines[0])).toEqual({ client_id: 'spa', client_secret: null });
    expect(await clients.authenticate('spa', undefined)).toMatchObject({ public: true, grantTypes: ['password', 'refresh_token'] });
    expect(await clients.authenticate('spa', 'anything')).toBeUndefined();
  });

  it('refuses bad input with exit code 2 and registers nothing', async () => {
    expect(await run('add', 'bad id')).toBe(2);
    expect(await run('add', 'x', '--grant', 'implicit')).toBe(2);
    expect(await run('add', 'x', '--public', '--grant', 'client_credentials')).toBe(2);
    expect(await run('add', 'x', '--scope', 'a"b')).toBe(2);
    expect(await run('add', 'x', '--audience')).toBe(2);
    expect(await run('add', 'x', '--colour', 'red')).toBe(2);
    expect((await clients.list()).map((c) => c.id)).toEqual(['default']);
  });

  it('refuses a taken id and the built-in default with exit code 1', async () => {
    await run('add', 'svc');
    expect(await run('add', 'svc')).toBe(1);
    expect(lines.at(-1)).toBe('error: client "svc" already exists');
    for (const action of ['add', 'disable', 'remove', 'rotate-secret']) expect(await run(action, 'default')).toBe(1);
    expect(lines.at(-1)).toBe('error: client "default" is built in and cannot be changed');
  });

  it('rotate-secret replaces the secret: the old one stops working', async () => {
    await run('add', 'svc', '--json');
    const old = (JSON.parse(lines[0]) as { client_secret: string }).client_secret;
    expect(await run('rotate-secret', 'svc', '--json')).toBe(0);
    const fresh = (JSON.parse(lines[1]) as { client_secret: string }).client_secret;
    expect(fresh).not.toBe(old);
    expect(await clients.authenticate('svc', old)).toBeUndefined();
    expect(await clients.authenticate('svc', fresh)).toBeDefined();
    expect(await run('rotate-secret', 'nobody')).toBe(1);
  });

  it('disable refuses the client and ends its sessions; enable lets it in again; remove forgets it', async () => {
    await run('add', 'app', '--grant', 'password', '--json');
    const secret = (JSON.parse(lines[0]) as { client_secret: string }).client_secret;
    const refresh = await sessions.start('u1', { clientId: 'app' });
    const other = await sessions.start('u1', { clientId: 'default' });
    expect(await run('disable', 'app')).toBe(0);
    expect(lines.at(-1)).toBe('disabled client app; ended 1 session');
    expect(await clients.authenticate('app', secret)).toBeUndefined();
    expect((await sessions.inspect(refresh.token)).outcome).toBe('revoked');
    expect((await sessions.inspect(other.token)).outcome).toBe('active');
    expect(await run('enable', 'app')).toBe(0);
    expect(await clients.authenticate('app', secret)).toBeDefined();
    expect(await run('remove', 'app')).toBe(0);
    expect(await clients.authenticate('app', secret)).toBeUndefined();
    expect(await run('remove', 'app')).toBe(1);
    expect(lines.at(-1)).toBe('error: no client "app"');
  });

  it('add --dpop-bound registers a client that must present DPoP proofs, and list shows it', async () => {
    expect(await run('add', 'spa', '--public', '--dpop-bound')).toBe(0);
    expect(lines.at(-1)).toBe('created client spa (public; grants password refresh_token; scopes (none); DPoP-bound tokens only)');
    expect(await clients.find('spa')).toMatchObject({ dpopBound: true });
    lines = [];
    await run('list');
    const row = lines[0].split('\n').find((line) => line.startsWith('spa '));
    expect(row?.split(/\s+/).slice(7, 9)).toEqual(['no', 'yes']);
  });

  it('list shows the built-in default and every registered client', async () => {
    await run('add', 'svc', '--scope', 'resource:admin');
    lines = [];
    expect(await run('list')).toBe(0);
    const [header, first, second] = lines[0].split('\n');
    expect(header.split(/\s+/)).toEqual([
      'CLIENT_ID',
      'TYPE',
      'GRANTS',
      'SCOPES',
      'AUDIENCES',
      'SERVES',
      'INTROSPECT',
      'DPOP_BOUND',
      'REDIRECT_URIS',
      'ID_TOKEN_ALG',
      'STATUS',
      'CREATED',
    ]);
    expect(first.split(/\s+/)).toEqual([
      'default',
      'public',
      'password',
      'refresh_token',
      '(user)',
      '-',
      'default',
      'no',
      'no',
      '-',
      '-',
      'active',
      'built-in',
    ]);
    expect(second.split(/\s+/)).toEqual([
      'svc',
      'confidential',
      'client_credentials',
      'resource:admin',
      '-',
      'svc',
      'no',
      'no',
      '-',
      '-',
      'active',
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  it('add --grant token-exchange stores the RFC 8693 URN, lists it by its short name, and is refused for a public client', async () => {
    expect(await run('add', 'orders', '--grant', 'token-exchange', '--serves', 'orders-api', '--audience', 'billing-api', '--scope', 'resource:read')).toBe(0);
    expect(lines[0]).toBe('created client orders (confidential; grants token-exchange; scopes resource:read)');
    expect(await clients.find('orders')).toMatchObject({
      grantTypes: ['urn:ietf:params:oauth:grant-type:token-exchange'],
      serves: ['orders-api'],
      audiences: ['billing-api'],
    });
    lines = [];
    expect(await run('list')).toBe(0);
    const row = lines[0].split('\n').find((line) => line.startsWith('orders'))!;
    expect(row.split(/\s+/)).toEqual([
      'orders',
      'confidential',
      'token-exchange',
      'resource:read',
      'billing-api',
      'orders-api',
      'no',
      'no',
      '-',
      '-',
      'active',
      '2026-01-01T00:00:00.000Z',
    ]);
    lines = [];
    expect(await run('add', 'spa', '--public', '--grant', 'token-exchange')).toBe(2);
    expect(lines[0]).toBe('error: a public client cannot use token-exchange (confidential clients only)');
    expect(await run('add', 'x', '--grant', 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(2);
    expect(lines.at(-1)).toBe('error: --grant must be one of password, refresh_token, client_credentials, authorization_code, token-exchange');
  });

  it('add --serves (repeatable) and --introspect: stored, described, and refused for a public client', async () => {
    expect(await run('add', 'gw', '--serves', 'orders-api', '--serves', 'billing-api', '--serves', 'orders-api', '--introspect')).toBe(0);
    expect(lines[0]).toBe('created client gw (confidential; grants client_credentials; scopes (none); introspects tokens for orders-api billing-api)');
    expect(await clients.find('gw')).toMatchObject({ serves: ['orders-api', 'billing-api'], introspect: true });
    lines = [];
    expect(await run('add', 'spa', '--public', '--introspect')).toBe(2);
    expect(await run('add', 'rs', '--serves')).toBe(2);
    expect(await run('add', 'rs', '--serves', 'with space')).toBe(2);
    expect(lines).toEqual([
      'error: a public client cannot introspect (RFC 7662 2.1: introspection needs client authentication)',
      'error: --serves needs a value',
      'error: an audience is 1-255 printable ASCII characters without spaces',
    ]);
    expect(await clients.find('spa')).toBeUndefined();
  });

  it('add --grant authorization_code stores the redirect URIs, post-logout URIs and first-party flag, and list shows them', async () => {
    expect(
      await run(
        'add',
        'web',
        '--grant',
        'authorization_code',
        '--grant',
        'refresh_token',
        '--redirect-uri',
        'https://app.example.com/cb',
        '--redirect-uri',
        'http://127.0.0.1/cb',
        '--post-logout-redirect-uri',
        'https://app.example.com/bye',
        '--first-party',
        '--public',
        '--json',
      ),
    ).toBe(0);
    expect(await clients.find('web')).toMatchObject({
      public: true,
      firstParty: true,
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example.com/cb', 'http://127.0.0.1/cb'],
      postLogoutRedirectUris: ['https://app.example.com/bye'],
    });
    lines = [];
    await run('list');
    expect(lines[0].split('\n')[2].split(/\s+/).slice(0, 6)).toEqual(['web', 'public', 'first-party', 'authorization_code', 'refresh_token', '-']);
  });

  it.each([
    [['--grant', 'authorization_code'], /needs at least one --redirect-uri/],
    [['--grant', 'authorization_code', '--redirect-uri', 'https://a.example/cb#x'], /fragment/],
    [['--grant', 'authorization_code', '--redirect-uri', 'http://a.example/cb'], /plain http only for loopback/],
    [['--grant', 'authorization_code', '--redirect-uri', 'javascript:alert(1)'], /never a redirect URI/],
    [['--grant', 'authorization_code', '--redirect-uri', 'myapp:/cb'], /reversed domain name/],
    [['--grant', 'authorization_code', '--redirect-uri', 'https://a.example/cb', '--post-logout-redirect-uri', 'data:text/html,x'], /never a redirect URI/],
    [['--grant', 'client_credentials', '--redirect-uri', 'https://a.example/cb'], /need --grant authorization_code/],
  ])('add %j is refused with exit code 2 and registers nothing', async (options, problem) => {
    expect(await run('add', 'web', ...options)).toBe(2);
    expect(lines.at(-1)).toMatch(problem);
    expect(await clients.find('web')).toBeUndefined();
  });

  describe('--id-token-alg', () => {
    const webClient = ['--grant', 'authorization_code', '--redirect-uri', 'https://app.example.com/cb'];
    const withJwtAlgorithm = (alg: string) =>
      new ClientsService(new ClientsRepository(db), sessions, clock, revocations, loadAuthConfig({ DATA_DIR: dir, JWT_ALGORITHM: alg }).tokens);

    it('takes JWT_ALGORITHM or RS256: stored, described, listed (a code-flow client without it: RS256)', async () => {
      clients = withJwtAlgorithm('ES256');
      expect(await run('add', 'es', ...webClient, '--id-token-alg', 'ES256')).toBe(0);
      expect(lines[0]).toBe(
        'created client es (confidential; grants authorization_code; scopes (none); redirect URIs https://app.example.com/cb; ID tokens ES256)',
      );
      expect(await run('add', 'rs', ...webClient, '--id-token-alg', 'RS256', '--json')).toBe(0);
      expect(await run('add', 'plain', ...webClient, '--json')).toBe(0);
      expect(await clients.find('es')).toMatchObject({ idTokenAlg: 'ES256' });
      expect(await clients.find('rs')).toMatchObject({ idTokenAlg: 'RS256' });
      expect(await clients.find('plain')).not.toHaveProperty('idTokenAlg');
      const [stored] = await db.query<{ id_token_alg: string | null }>('SELECT id_token_alg FROM clients WHERE id = $1', ['plain']);
      expect(stored.id_token_alg).toBeNull();
      lines = [];
      await run('list');
      const column = (id: string) =>
        lines[0]
          .split('\n')
          .find((line) => line.startsWith(`${id} `))!
          .split(/\s+/)
          .at(-3);
      expect([column('es'), column('rs'), column('plain'), column('default')]).toEqual(['ES256', 'RS256', 'RS256', '-']);
    });

    it.each([
      ['ES256', 'ES384', /--id-token-alg must be an algorithm this service signs ID tokens with: RS256 or ES256 \(JWT_ALGORITHM\); got "ES384"/],
      ['ES256', 'none', /RS256 or ES256 \(JWT_ALGORITHM\); got "none"/],
      ['ES256', 'HS256', /got "HS256"/],
      ['RS256', 'ES256', /RS256, the only one while JWT_ALGORITHM is RS256; got "ES256"/],
      ['PS256', 'rs256', /RS256 or PS256 \(JWT_ALGORITHM\); got "rs256"/],
    ])('with JWT_ALGORITHM=%s, --id-token-alg %s is refused with exit code 2 and registers nothing', async (jwtAlgorithm, alg, problem) => {
      clients = withJwtAlgorithm(jwtAlgorithm);
      expect(await run('add', 'web', ...webClient, '--id-token-alg', alg)).toBe(2);
      expect(lines.at(-1)).toMatch(problem);
      expect(await clients.find('web')).toBeUndefined();
    });

    it('needs a value, and the service refuses what the CLI would', async () => {
      expect(await run('add', 'web', ...webClient, '--id-token-alg')).toBe(2);
      expect(lines.at(-1)).toBe('error: --id-token-alg needs a value');
      const spec = {
        id: 'web',
        grantTypes: ['authorization_code' as const],
        scopes: [],
        audiences: [],
        serves: [],
        introspect: false,
        dpopBound: false,
        public: false,
      };
      await expect(clients.register({ ...spec, redirectUris: ['https://app.example.com/cb'], idTokenAlg: 'ES256' })).rejects.toThrow(/--id-token-alg must be/);
      expect(await clients.find('web')).toBeUndefined();
    });
  });

  it('add --grant password registers the client with a warning (RFC 9700 2.4)', async () => {
    expect(await run('add', 'legacy', '--grant', 'password')).toBe(0);
    expect(lines[0]).toMatch(/^warning: the password grant .*RFC 9700 2.4/);
    expect(await clients.find('legacy')).toBeDefined();
  });
});
