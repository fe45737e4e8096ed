import request from 'supertest';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { INVALID_GRANT, login, logout, refresh } from './support/sessions.js';

describe('logout and RFC 7009 revocation', () => {
  let auth: RunningAuth;
  const revoke = () => request(auth.url).post('/auth/revoke');

  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(() => auth.close());

  async function session(): Promise<{ access: string; refresh: string }> {
    const { body } = await login(auth.url).expect(200);
    return { access: body.access_token, refresh: body.refresh_token };
  }

  it('logout answers 204 without a body and ends the session', async () => {
    const { refresh: token } = await session();
    const res = await logout(auth.url, token).expect(204);
    expect(res.text).toBe('');
    expect((await refresh(auth.url, token).expect(400)).body).toEqual(INVALID_GRANT);
    // Logging out again with the same token is harmless.
    await logout(auth.url, token).expect(204);
  });

  it('logout with an earlier (rotated) token of the session ends the whole session', async () => {
    const { refresh: first } = await session();
    const current = (await refresh(auth.url, first).expect(200)).body.refresh_token;
    await logout(auth.url, first).expect(204);
    await refresh(auth.url, current).expect(400);
  });

  it('logout with a token it never issued is 400 invalid_grant; a malformed one is 400 naming the field', async () => {
    expect((await logout(auth.url, `nts_rt_${'B'.repeat(43)}`).expect(400)).body).toEqual(INVALID_GRANT);
    const res = await logout(auth.url, ['x']).expect(400);
    expect(JSON.stringify(res.body.message)).toContain('refresh_token');
  });

  it('revokes a refresh token sent as JSON', async () => {
    const { refresh: token } = await session();
    const res = await revoke().send({ token, token_type_hint: 'refresh_token' }).expect(200);
    expect(res.text).toBe('');
    await refresh(auth.url, token).expect(400);
  });

  it('revokes a refresh token sent form-encoded, as RFC 7009 clients do', async () => {
    const { refresh: token } = await session();
    await revoke()
      .type('form')
      .send(`token=${encodeURIComponent(token)}&token_type_hint=refresh_token`)
      .expect(200);
    await refresh(auth.url, token).expect(400);
  });

  it('accepts a charset parameter on the form content type and a client_id', async () => {
    const { refresh: token } = await session();
    await revoke()
      .set('content-type', 'application/x-www-form-urlencoded; charset=UTF-8')
      .send(`token=${encodeURIComponent(token)}&client_id=spa`)
      .expect(200);
    await refresh(auth.url, token).expect(400);
  });

  it('answers 200 to an unknown token and to an access token, which it cannot revoke (its session stays)', async () => {
    await revoke().send({ token: 'not-a-token-we-know' }).expect(200);
    await revoke()
      .send({ token: `nts_rt_${'C'.repeat(43)}` })
      .expect(200);
    const { access, refresh: token } = await session();
    await revoke().type('form').send(`token=${access}&token_type_hint=access_token`).expect(200);
    await refresh(auth.url, token).expect(200);
  });

  it.each([
    ['no token', {}],
    ['an empty token', { token: '' }],
    ['a token that is an array', { token: ['a', 'b'] }],
    ['an unknown field', { token: 'x', extra: 1 }],
  ])('answers 400 to %s (JSON)', async (_, body) => {
    const res = await revoke().send(body).expect(400);
    expect(res.body.code).toBe('ERR_VALIDATION');
  });

  it('answers 400 to a form with the token twice (RFC 6749 3.2: no parameter more than once) and 413 to an oversized one', async () => {
    await revoke().type('form').send('token=a&token=b').expect(400);
    await revoke()
      .type('form')
      .send(`token=${'x'.repeat(20_000)}`)
      .expect(413);
  });

  it('answers 400, not 500, to a form with a __proto__ field', async () => {
    const res = await revoke().type('form').send('token=a&__proto__=x');
    expect(res.status).toBe(400);
  });
});
