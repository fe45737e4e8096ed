import { Test, type TestingModule } from '@nestjs/testing';
import { ErrorCode } from '@app/contracts';
import { createTestKey, signAccessToken, signRawClaims, type TestKey } from '../testing/jwks-fixture.js';
import { verificationOutcomeOf } from '../metrics/verification-outcome.js';
import { JWT_AUTH_CLOCK } from '../jwt-auth.constants.js';
import { JwtAuthModule } from '../jwt-auth.module.js';
import { SigningKeyResolver, type ResolvedKey } from './signing-key.resolver.js';
import { TokenVerifier } from './token-verifier.js';

const EXP = 2_000_000_000;

describe('TokenVerifier on an injected clock', () => {
  let key: TestKey;
  let moduleRef: TestingModule;
  let verifier: TokenVerifier;
  let nowMs: number;
  let keyConfirmed = false;
  const lookups: string[] = [];

  beforeAll(async () => {
    key = await createTestKey('ES256');
    const resolved: ResolvedKey = { kid: key.kid, key: key.publicKey, jwkAlg: 'ES256', pem: key.publicPem };
    moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRoot({
          jwksUri: 'http://127.0.0.1:1/unused',
          issuer: 'http://issuer.test',
          audience: 'resource-service',
          algorithms: ['ES256'],
          clockTolerance: 30,
        }),
      ],
    })
      .overrideProvider(JWT_AUTH_CLOCK)
      .useValue(() => nowMs)
      .overrideProvider(SigningKeyResolver)
      .useValue({
        // No key is "known" (fresh) here: every verification goes through `resolve`, which counts lookups.
        known: () => undefined,
        resolve: async (kid: string) => {
          lookups.push(kid);
          return resolved;
        },
        isConfirmed: (candidate: ResolvedKey) => keyConfirmed && candidate === resolved,
      })
      .compile();
    verifier = moduleRef.get(TokenVerifier);
  });

  afterAll(() => moduleRef.close());

  beforeEach(() => {
    keyConfirmed = false;
    lookups.length = 0;
  });

  const verify = (token: string) => verifier.verify(token);

  const sign = (claims: Record<string, unknown> = {}) => signAccessToken(key, { claims: { iat: EXP - 900, nbf: EXP - 900, exp: EXP, ...claims } });

  it('accepts a token until exp + tolerance and refuses it from then on as expired', async () => {
    const token = await sign();

    nowMs = (EXP + 29) * 1000 + 999;
    await expect(verify(token)).resolves.toMatchObject({ expiresAt: EXP });

    nowMs = (EXP + 30) * 1000;
    await expect(verify(token)).rejects.toMatchObject({ code: ErrorCode.TokenExpired });
  });

  it('refuses a token before nbf - tolerance as invalid and accepts it from then on', async () => {
    const nbf = EXP - 600;
    const token = await sign({ nbf });

    nowMs = (nbf - 31) * 1000;
    await expect(verify(token)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });

    nowMs = (nbf - 30) * 1000;
    await expect(verify(token)).resolves.toMatchObject({ userId: 'user-42' });
  });

  it('maps the claims to an AuthenticatedUser', async () => {
    nowMs = (EXP - 100) * 1000;
    const token = await sign({ sub: 'u-1', username: 'carol', scope: ' a  b ', jti: 'j-1' });

    await expect(verify(token)).resolves.toEqual({
      userId: 'u-1',
      username: 'carol',
      scopes: ['a', 'b'],
      tokenId: 'j-1',
      expiresAt: EXP,
      issuedAt: expect.any(Number),
    });
  });

  it('gives an empty scope list to a token without scope', async () => {
    nowMs = (EXP - 100) * 1000;
    const token = await signAccessToken(key, { claims: { iat: EXP - 900, nbf: EXP - 900, exp: EXP }, omit: ['scope'] });

    await expect(verify(token)).resolves.toMatchObject({ scopes: [] });
  });

  it('looks no key up for a token refused by its header', async () => {
    nowMs = (EXP - 100) * 1000;
    const token = await signAccessToken(key, { header: { jku: 'http://evil.test/jwks' } });

    await expect(verify(token)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
    expect(lookups).toEqual([]);
  });

  it('answers a token verified twice before from the verified-token cache while its key is confirmed', async () => {
    nowMs = (EXP - 100) * 1000;
    keyConfirmed = true;
    const token = await sign({ jti: 'j-cached' });

    const first = await verify(token);
    const second = await verify(token); // verified in full again: stored now
    const third = await verify(token);

    expect([second, third]).toEqual([first, first]);
    expect(lookups).toEqual([key.kid, key.kid]);
  });

  it('verifies in full again once the key is no longer confirmed', async () => {
    nowMs = (EXP - 100) * 1000;
    keyConfirmed = true;
    const token = await sign();
    await verify(token);
    await verify(token); // stored
    await verify(token); // served from the cache: no lookup

    keyConfirmed = false;
    await verify(token);

    expect(lookups).toEqual([key.kid, key.kid, key.kid]);
  });

  it('stops serving a token from the cache at exp: it is verified in full again, accepted within the 30 s tolerance, expired after it', async () => {
    nowMs = (EXP - 100) * 1000;
    keyConfirmed = true;
    const token = await sign();
    await verify(token);
    await verify(token); // stored
    await verify(token); // served from the cache: no lookup

    nowMs = EXP * 1000;
    await expect(verify(token)).resolves.toMatchObject({ expiresAt: EXP });
    nowMs = (EXP + 30) * 1000;
    await expect(verify(token)).rejects.toMatchObject({ code: ErrorCode.TokenExpired });
    expect(lookups).toEqual([key.kid, key.kid, key.kid, key.kid]);
  });

  it('never caches a refusal: a refused token is checked in full each time', async () => {
    nowMs = (EXP - 100) * 1000;
    keyConfirmed = true;
    const token = await sign({ iss: 'http://other-issuer.test' });

    await expect(verify(token)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
    await expect(verify(token)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
    expect(lookups).toEqual([key.kid, key.kid]);
  });

  /** The refusal of `token`: its code, and the metric outcome the guard would count it under. */
  async function refusalOf(token: string): Promise<{ code: unknown; outcome: string }> {
    const error = await verify(token).then(
      () => undefined,
      (refused: unknown) => refused,
    );
    if (error === undefined) throw new Error('the token was accepted');
    return { code: (error as { code?: unknown }).code, outcome: verificationOutcomeOf(error) };
  }

  it('refuses an iat later than now + tolerance as not yet valid, and accepts one within the tolerance', async () => {
    nowMs = (EXP - 3600) * 1000;

    const ahead = await sign({ iat: EXP - 3600 + 31, nbf: EXP - 3600 });
    await expect(refusalOf(ahead)).resolves.toEqual({ code: ErrorCode.TokenInvalid, outcome: 'not_yet_valid' });

    const withinTolerance = await sign({ iat: EXP - 3600 + 30, nbf: EXP - 3600 });
    await expect(verify(withinTolerance)).resolves.toMatchObject({ expiresAt: EXP });
  });

  it.each([
    ['exp', '"exp":1e400'],
    ['iat', '"iat":-1e400'],
    ['nbf', '"nbf":-1e400'],
    ['iat', '"iat":-5'],
    ['nbf', '"nbf":-1'],
  ])('refuses a non-finite or negative %s (%s) as invalid claims, and never caches it', async (_claim, raw) => {
    nowMs = (EXP - 100) * 1000;
    keyConfirmed = true;
    const token = await signRawClaims(key, raw, { iat: EXP - 900, nbf: EXP - 900, exp: EXP });

    await expect(refusalOf(token)).resolves.toEqual({ code: ErrorCode.TokenInvalid, outcome: 'invalid_claims' });
    await expect(refusalOf(token)).resolves.toMatchObject({ code: ErrorCode.TokenInvalid });
    expect(lookups).toEqual([key.kid, key.kid]);
  });

  it.each([
    ['a string', '"exp":"2000000000"'],
    ['null', '"exp":null'],
    ['an iat string', '"iat":"now"'],
  ])('refuses a time claim that is %s', async (_case, raw) => {
    nowMs = (EXP - 100) * 1000;
    const token = await signRawClaims(key, raw, { iat: EXP - 900, nbf: EXP - 900, exp: EXP });

    await expect(refusalOf(token)).resolves.toEqual({ code: ErrorCode.TokenInvalid, outcome: 'invalid_claims' });
  });

  it('refuses a lifetime exp - iat above the max token age (default one day) and accepts exactly one day', async () => {
    nowMs = (EXP - 100) * 1000;

    const tooLong = await sign({ iat: EXP - 86_401, nbf: EXP - 900 });
    await expect(refusalOf(tooLong)).resolves.toEqual({ code: ErrorCode.TokenInvalid, outcome: 'invalid_claims' });

    const oneDay = await sign({ iat: EXP - 86_400, nbf: EXP - 900 });
    await expect(verify(oneDay)).resolves.toMatchObject({ expiresAt: EXP });
  });

  it('refuses an exp that is not after iat', async () => {
    const token = await sign({ iat: EXP - 10, nbf: EXP - 900, exp: EXP - 10 });
    nowMs = (EXP - 20) * 1000;
    await expect(refusalOf(token)).resolves.toMatchObject({ code: ErrorCode.TokenInvalid });
  });
});
