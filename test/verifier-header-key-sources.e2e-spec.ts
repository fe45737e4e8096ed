import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, signAccessToken, type SignOptions, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

describe('verifier: a token cannot bring its own key or extensions', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let published: TestKey;
  let attacker: TestKey;
  const fakeCertificate = Buffer.from('not really a certificate').toString('base64');

  beforeAll(async () => {
    [published, attacker] = await Promise.all([createTestKey('RS256'), createTestKey('RS256')]);
    jwks = await JwksFixture.start(published);
    app = await startResourceApp(jwks);
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  async function expectRefusedWithoutLookup(key: TestKey, options: SignOptions): Promise<void> {
    const before = jwks.requests;
    const token = await signAccessToken(key, options);

    const response = await request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body.code).toBe(ErrorCode.TokenInvalid);
    expect(jwks.requests).toBe(before);
  }

  it('refuses an embedded jwk naming the attacker key', async () => {
    await expectRefusedWithoutLookup(attacker, { header: { jwk: attacker.publicJwk, kid: attacker.kid } });
  });

  it('refuses an embedded jwk even when the token is signed by the published key', async () => {
    await expectRefusedWithoutLookup(published, { header: { jwk: published.publicJwk } });
  });

  it('refuses jku', async () => {
    await expectRefusedWithoutLookup(attacker, { header: { jku: 'http://127.0.0.1:1/evil-jwks.json', kid: attacker.kid } });
  });

  it('refuses x5u', async () => {
    await expectRefusedWithoutLookup(attacker, { header: { x5u: 'http://127.0.0.1:1/evil.pem', kid: attacker.kid } });
  });

  it('refuses x5c', async () => {
    await expectRefusedWithoutLookup(attacker, { header: { x5c: [fakeCertificate], kid: attacker.kid } });
  });

  it('refuses an unknown crit extension, even on a correctly signed token', async () => {
    await expectRefusedWithoutLookup(published, {
      header: { crit: ['urn:example:extension'], 'urn:example:extension': true },
      crit: { 'urn:example:extension': true },
    });
  });

  it('refuses crit b64 (an unencoded payload)', async () => {
    await expectRefusedWithoutLookup(published, { header: { crit: ['b64'], b64: true } });
  });
});
