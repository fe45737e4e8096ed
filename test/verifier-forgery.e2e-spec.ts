import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CompactSign } from 'jose';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, accessTokenClaims, compactToken, createTestKey, encodeJson, signAccessToken, type TestKey } from './support/jwks-fixture.js';
import { CollectingLogger, startResourceApp } from './support/verifier-app.js';

describe('verifier: forged, tampered and malformed tokens', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let key: TestKey;
  let impostor: TestKey;
  const logger = new CollectingLogger();

  beforeAll(async () => {
    [key, impostor] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
    jwks = await JwksFixture.start(key);
    app = await startResourceApp(jwks, { logger });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  async function expectInvalid(token: string): Promise<void> {
    const response = await request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body.code).toBe(ErrorCode.TokenInvalid);
  }

  /** A correctly signed token whose header segment is replaced. */
  async function withHeader(header: string): Promise<string> {
    const [, payload, signature] = (await signAccessToken(key)).split('.');
    return `${header}.${payload}.${signature}`;
  }

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await signAccessToken(key)).split('.');
    const elevated = encodeJson(accessTokenClaims({ sub: 'admin', username: 'admin', scope: 'admin' }));

    await expectInvalid(`${header}.${elevated}.${signature}`);
  });

  it('refuses a token signed by another key that carries the real kid', async () => {
    await expectInvalid(await signAccessToken(impostor, { header: { kid: key.kid } }));
  });

  it('refuses the psychic signature: r = s = 0 over a real header and payload (CVE-2022-21449)', async () => {
    const [header, payload] = (await signAccessToken(key)).split('.');

    await expectInvalid(`${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`);
  });

  it('refuses a real signature re-encoded with non-zero unused bits in its last character', async () => {
    const token = await signAccessToken(key); // ES256: 64 bytes, 86 characters, 4 unused bits
    const last = token.charCodeAt(token.length - 1);

    await expectInvalid(`${token.slice(0, -1)}${String.fromCharCode(last + 1)}`);
  });

  it('refuses a header without kid, although the key set holds a single key', async () => {
    await expectInvalid(await signAccessToken(key, { header: { kid: undefined } }));
  });

  it('refuses a signature flipped by one character', async () => {
    const token = await signAccessToken(key);
    const last = token.at(-2) === 'A' ? 'B' : 'A';

    await expectInvalid(`${token.slice(0, -2)}${last}${token.at(-1)}`);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['two segments', () => compactToken({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' }).slice(0, -1)],
    ['four segments', async () => `${await signAccessToken(key)}.extra`],
    ['five segments (a JWE)', 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d'],
    ['bad base64 in the header', () => withHeader('e!x*')],
    ['a header that is not JSON', () => withHeader(Buffer.from('{"alg":"ES256",').toString('base64url'))],
    ['a header that is a JSON string', () => withHeader(encodeJson('ES256'))],
    ['an oversized token', async () => `${await signAccessToken(key, { claims: { pad: 'x'.repeat(9000) } })}`],
  ])('refuses %s', async (_case, token) => {
    await expectInvalid(typeof token === 'string' ? token : await token());
  });

  /**
   * Signed by the real key, so the signature check passes and the payload's own check is the one
   * that refuses: the reason logged at debug says so (a bad signature would log `signature`).
   */
  it.each([
    ['not JSON', 'not json'],
    ['JSON but not an object', '["sub","admin"]'],
    ['a truncated JSON object', '{"sub":"admin",'],
  ])('refuses a correctly signed payload that is %s, by the payload check', async (_case, payload) => {
    const token = await new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .sign(key.privateKey);
    const before = logger.lines.length;
    await expectInvalid(token);
    expect(logger.lines.slice(before).join('\n')).toMatch(/malformed payload \(not canonical base64url of a UTF-8 JSON object\)/);
  });
});
