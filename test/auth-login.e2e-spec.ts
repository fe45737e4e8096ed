import { ACCESS_TOKEN_TYPE } from '@app/contracts';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';

describe('POST /auth/login', () => {
  let auth: RunningAuth;
  const login = (body: unknown) =>
    request(auth.url)
      .post('/auth/login')
      .send(body as object);

  beforeAll(async () => {
    auth = await startAuth({ DEMO_USER: 'testuser:password', AUTH_AUDIENCE: 'resource-service,billing' });
  });
  afterAll(() => auth.close());

  it('answers 200 with a Bearer access token, no-store', async () => {
    const res = await login({ username: 'testuser', password: 'password' }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'profile resource:read',
      refresh_token: expect.stringMatching(/^nts_rt_[A-Za-z0-9_-]{43}$/),
      refresh_expires_in: 30 * 86_400,
    });
  });

  it('signs RS256 with kid and typ at+jwt, and carries every claim of docs/sessions.md', async () => {
    const { body } = await login({ username: 'testuser', password: 'password' }).expect(200);
    const header = decodeProtectedHeader(body.access_token);
    const jwks = (await request(auth.url).get('/.well-known/jwks.json')).body;
    expect(header).toEqual({ alg: 'RS256', kid: jwks.keys[0].kid, typ: ACCESS_TOKEN_TYPE });
    const claims = decodeJwt(body.access_token);
    expect(claims).toEqual({
      iss: 'http://localhost:3000',
      sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      aud: ['resource-service', 'billing'],
      exp: (claims.iat as number) + 900,
      iat: expect.any(Number),
      nbf: claims.iat,
      jti: expect.any(String),
      username: 'testuser',
      client_id: 'default',
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scope: 'profile resource:read',
    });
  });

  it('gives each token its own jti', async () => {
    const a = await login({ username: 'testuser', password: 'password' });
    const b = await login({ username: 'testuser', password: 'password' });
    expect(decodeJwt(a.body.access_token).jti).not.toBe(decodeJwt(b.body.access_token).jti);
  });

  it('answers an unknown user and a wrong password with the same 401 body', async () => {
    const unknown = await login({ username: 'nobody', password: 'password' }).expect(401);
    const wrong = await login({ username: 'testuser', password: 'wrong-password' }).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'ERR_INVALID_CREDENTIALS', message: 'Invalid username or password' });
    expect(JSON.stringify(wrong.body)).not.toContain('wrong-password');
  });

  it.each([
    [{}, ['username', 'password']],
    [{ username: 'testuser' }, ['password']],
    [{ password: 'password' }, ['username']],
    [{ username: 42, password: 'password' }, ['username']],
    [{ username: 'testuser', password: ['password'] }, ['password']],
    [{ username: { $ne: '' }, password: 'password' }, ['username']],
    [{ username: 'testuser', password: 'password', admin: true }, ['admin']],
    [{ username: 'bad name!', password: 'password' }, ['username']],
    [{ username: 'testuser', password: 'x'.repeat(1025) }, ['password']],
  ])('answers 400 naming the field (case %#)', async (body, fields) => {
    const res = await login(body).expect(400);
    expect(res.body.code).toBe('ERR_VALIDATION');
    for (const field of fields) expect(JSON.stringify(res.body.message)).toContain(field);
  });

  it('answers 400 to malformed JSON, a JSON array and an empty body', async () => {
    await request(auth.url).post('/auth/login').set('content-type', 'application/json').send('{"username":').expect(400);
    await request(auth.url).post('/auth/login').set('content-type', 'application/json').send('[]').expect(400);
    await request(auth.url).post('/auth/login').set('content-type', 'application/json').send('"text"').expect(400);
    await request(auth.url).post('/auth/login').expect(400);
  });

  it('answers 413 to an oversized body', async () => {
    const res = await login({ username: 'testuser', password: 'x'.repeat(20_000) }).expect(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('answers 4xx, never 500, to a non-JSON content type', async () => {
    const res = await request(auth.url).post('/auth/login').set('content-type', 'text/plain').send('username=testuser');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers 404 with the error shape on an unknown route', async () => {
    const res = await request(auth.url).get('/nope').expect(404);
    expect(res.body.code).toBe('ERR_NOT_FOUND');
  });
});
