import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, compactToken, createTestKey, encodeJson, signAccessToken, signHs256, type TestKey } from './support/jwks-fixture.js';
import { startResourceApp } from './support/verifier-app.js';

describe('verifier: the header alg cannot choose how the token is checked', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let rsa: TestKey;
  let rsaForRs256Only: TestKey;
  let rsaWithoutAlg: TestKey;
  let ecWithoutAlg: TestKey;

  beforeAll(async () => {
    [rsa, rsaForRs256Only, rsaWithoutAlg, ecWithoutAlg] = await Promise.all([
      createTestKey('RS256'),
      createTestKey('PS256', { publishedAlg: 'RS256' }),
      createTestKey('PS256', { publishedAlg: false }),
      createTestKey('ES256', { publishedAlg: false }),
    ]);
    jwks = await JwksFixture.start(rsa, rsaForRs256Only, rsaWithoutAlg, ecWithoutAlg);
    app = await startResourceApp(jwks);
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  const get = (token: string) => request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`);

  function expectInvalidToken(response: request.Response): void {
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(response.body.code).toBe(ErrorCode.TokenInvalid);
  }

  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %p with an empty signature', async (alg) => {
    expectInvalidToken(await get(compactToken({ alg, kid: rsa.kid, typ: 'at+jwt' })));
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %p even with a signature segment', async (alg) => {
    const stolenSignature = (await signAccessToken(rsa)).split('.')[2];

    expectInvalidToken(await get(compactToken({ alg, kid: rsa.kid, typ: 'at+jwt' }, undefined, stolenSignature)));
  });

  it('refuses HS256 keyed with the published public key as PEM bytes', async () => {
    expectInvalidToken(await get(await signHs256(rsa.publicPem, { kid: rsa.kid })));
  });

  it('refuses HS256 keyed with the published JWK', async () => {
    expectInvalidToken(await get(await signHs256(JSON.stringify(rsa.publicJwk), { kid: rsa.kid })));
  });

  it('refuses unpinned algorithms before any key lookup', async () => {
    const unknownKid = 'kid-the-verifier-has-never-seen';
    const before = jwks.requests;

    expectInvalidToken(await get(compactToken({ alg: 'none', kid: unknownKid, typ: 'at+jwt' }, undefined, 'c2ln')));
    expectInvalidToken(await get(await signHs256(rsa.publicPem, { kid: unknownKid })));
    expect(jwks.requests).toBe(before);

    expectInvalidToken(await get(await signAccessToken(rsa, { header: { kid: unknownKid } })));
    expect(jwks.requests).toBeGreaterThan(before);
  });

  it('refuses PS256 signed with a key the JWKS publishes for RS256', async () => {
    expectInvalidToken(await get(await signAccessToken(rsaForRs256Only, { header: { alg: 'PS256' } })));
  });

  it('accepts PS256 and RS256 with an RSA key published without alg', async () => {
    expect((await get(await signAccessToken(rsaWithoutAlg, { header: { alg: 'PS256' } }))).status).toBe(200);
    expect((await get(await signAccessToken(rsaWithoutAlg, { header: { alg: 'RS256' } }))).status).toBe(200);
  });

  it('refuses an alg that does not fit the key type when the JWK has no alg', async () => {
    const es256 = await signAccessToken(ecWithoutAlg);
    const [, payload, signature] = es256.split('.');
    const relabelled = (alg: string) => `${encodeJson({ alg, kid: ecWithoutAlg.kid, typ: 'at+jwt' })}.${payload}.${signature}`;

    expect((await get(es256)).status).toBe(200);
    expectInvalidToken(await get(relabelled('ES384')));
    expectInvalidToken(await get(relabelled('RS256')));
  });
});

describe('verifier: JWT_ALGORITHMS pins the accepted algorithms', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let rsa: TestKey;
  let ec: TestKey;

  beforeAll(async () => {
    [rsa, ec] = await Promise.all([createTestKey('RS256'), createTestKey('ES256')]);
    jwks = await JwksFixture.start(rsa, ec);
    app = await startResourceApp(jwks, { env: { JWT_ALGORITHMS: 'ES256' } });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it('refuses a correctly signed RS256 token when only ES256 is pinned, and accepts ES256', async () => {
    const server = app.getHttpServer();
    const rs256 = await signAccessToken(rsa);
    const es256 = await signAccessToken(ec);

    const refused = await request(server).get('/resource/protected').set('Authorization', `Bearer ${rs256}`);
    const accepted = await request(server).get('/resource/protected').set('Authorization', `Bearer ${es256}`);

    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe(ErrorCode.TokenInvalid);
    expect(accepted.status).toBe(200);
  });
});

describe('verifier: EdDSA and Ed25519 name one algorithm, but a JWK alg binds its label', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  let forEdDsa: TestKey;
  let forEd25519: TestKey;
  let withoutAlg: TestKey;

  beforeAll(async () => {
    [forEdDsa, forEd25519, withoutAlg] = await Promise.all([
      createTestKey('EdDSA'),
      createTestKey('Ed25519'),
      createTestKey('Ed25519', { publishedAlg: false }),
    ]);
    jwks = await JwksFixture.start(forEdDsa, forEd25519, withoutAlg);
    app = await startResourceApp(jwks);
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  const status = async (token: string) => (await request(app.getHttpServer()).get('/resource/protected').set('Authorization', `Bearer ${token}`)).status;

  it('accepts each key under the label it was published with', async () => {
    expect(await status(await signAccessToken(forEdDsa))).toBe(200);
    expect(await status(await signAccessToken(forEd25519))).toBe(200);
  });

  it('refuses an Ed25519-labelled token signed by the key published for EdDSA, and the reverse', async () => {
    expect(await status(await signAccessToken(forEdDsa, { header: { alg: 'Ed25519' } }))).toBe(401);
    expect(await status(await signAccessToken(forEd25519, { header: { alg: 'EdDSA' } }))).toBe(401);
  });

  it('lets an Ed25519 key published without alg verify both labels', async () => {
    expect(await status(await signAccessToken(withoutAlg, { header: { alg: 'EdDSA' } }))).toBe(200);
    expect(await status(await signAccessToken(withoutAlg, { header: { alg: 'Ed25519' } }))).toBe(200);
  });

  it('refuses a token whose label was swapped after signing: the signature covers the header', async () => {
    const [, payload, signature] = (await signAccessToken(withoutAlg, { header: { alg: 'EdDSA' } })).split('.');
    const relabelled = `${encodeJson({ alg: 'Ed25519', kid: withoutAlg.kid, typ: 'at+jwt' })}.${payload}.${signature}`;
    expect(await status(relabelled)).toBe(401);
  });

  it('refuses either label for keys that are not Ed25519', async () => {
    const ec = await createTestKey('ES256', { publishedAlg: false });
    jwks.add(ec);
    const [, payload, signature] = (await signAccessToken(ec)).split('.');
    for (const alg of ['EdDSA', 'Ed25519']) {
      expect(await status(`${encodeJson({ alg, kid: ec.kid, typ: 'at+jwt' })}.${payload}.${signature}`)).toBe(401);
    }
  });
});
