import { Test } from '@nestjs/testing';
import { ErrorCode, SUPPORTED_ALGORITHMS } from '@app/contracts';
import type { JwtAuthModuleOptions, JwtAuthSettings } from './interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_SETTINGS } from './jwt-auth.constants.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtAuthModule } from './jwt-auth.module.js';
import { createTestKey, JwksFixture, signAccessToken, TEST_AUDIENCE, TEST_ISSUER, type TestKey } from './testing/jwks-fixture.js';
import { TokenVerifier } from './verification/token-verifier.js';

const options: JwtAuthModuleOptions = {
  jwksUri: 'http://127.0.0.1:1/.well-known/jwks.json',
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  algorithms: ['RS256', 'EdDSA'],
  clockTolerance: 30,
};

describe('JwtAuthModule', () => {
  let key: TestKey;
  let jwks: JwksFixture;

  beforeAll(async () => {
    key = await createTestKey('EdDSA');
    jwks = await JwksFixture.start(key);
  });

  afterAll(() => jwks.stop());

  it('wires forRoot options into a TokenVerifier that reads the configured JWKS, and provides the guard', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [JwtAuthModule.forRoot({ ...options, jwksUri: jwks.uri })] }).compile();
    const verifier = moduleRef.get(TokenVerifier);

    await expect(verifier.verify(await signAccessToken(key))).resolves.toMatchObject({ userId: 'user-42' });
    await expect(verifier.verify(await signAccessToken(key, { claims: { aud: 'another-service' } }))).rejects.toMatchObject({
      code: ErrorCode.TokenInvalid,
    });
    expect(jwks.requests).toBe(1);
    expect(moduleRef.get(JwtAuthGuard)).toBeInstanceOf(JwtAuthGuard);
    await moduleRef.close();
  });

  it('reads the key set once: later tokens of a known key, good or bad, are answered without another read', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [JwtAuthModule.forRoot({ ...options, jwksUri: jwks.uri })] }).compile();
    const verifier = moduleRef.get(TokenVerifier);
    const [first, second, wrongAudience] = await Promise.all([
      signAccessToken(key),
      signAccessToken(key, { claims: { jti: 'another' } }),
      signAccessToken(key, { claims: { aud: 'another-service' } }),
    ]);

    const reads = jwks.requests;
    await verifier.verify(first);
    await expect(verifier.verify(second)).resolves.toMatchObject({ userId: 'user-42' });
    await expect(verifier.verify(wrongAudience)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
    expect(jwks.requests).toBe(reads + 1);
    await moduleRef.close();
  });

  it('builds the options with forRootAsync from injected dependencies: the injected issuer is the one required', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRootAsync({
          useFactory: (issuer: string) => ({ ...options, jwksUri: jwks.uri, issuer }),
          inject: ['ISSUER'],
          provideInjectionTokensFrom: [{ provide: 'ISSUER', useValue: 'http://other-issuer.test' }],
        }),
      ],
    }).compile();
    const verifier = moduleRef.get(TokenVerifier);

    await expect(verifier.verify(await signAccessToken(key, { claims: { iss: 'http://other-issuer.test' } }))).resolves.toMatchObject({
      userId: 'user-42',
    });
    await expect(verifier.verify(await signAccessToken(key))).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
    await moduleRef.close();
  });

  it("needs only issuer and audience: the JWKS at the issuer's /.well-known/jwks.json, every asymmetric algorithm, 30 s tolerance", async () => {
    const issuer = jwks.uri.replace(/\/\.well-known\/jwks\.json$/, '/');
    const moduleRef = await Test.createTestingModule({ imports: [JwtAuthModule.forRoot({ issuer, audience: TEST_AUDIENCE })] }).compile();
    const verifier = moduleRef.get(TokenVerifier);
    const settings = moduleRef.get<JwtAuthSettings>(JWT_AUTH_SETTINGS);
    const now = Math.floor(Date.now() / 1000);

    expect(settings).toMatchObject({ jwksUri: jwks.uri, clockTolerance: 30, algorithms: [...SUPPORTED_ALGORITHMS], revocationFeedUri: undefined });
    expect(settings.issuerMetadataUris).toEqual([`${issuer}.well-known/oauth-authorization-server`]);
    await expect(verifier.verify(await signAccessToken(key, { claims: { iss: issuer } }))).resolves.toMatchObject({ userId: 'user-42' });
    await expect(verifier.verify(await signAccessToken(key, { claims: { iss: issuer, iat: now - 100, exp: now - 20 } }))).resolves.toMatchObject({
      userId: 'user-42',
    });
    await expect(verifier.verify(await signAccessToken(key, { claims: { iss: issuer, iat: now - 100, exp: now - 40 } }))).rejects.toMatchObject({
      code: ErrorCode.TokenExpired,
    });
    await moduleRef.close();
  });

  it.each([
    [
      'unset: discovered from the metadata',
      undefined,
      { revocationFeedUri: undefined, issuerMetadataUris: ['http://issuer.test/.well-known/oauth-authorization-server'] },
    ],
    ['false: off, no metadata read', false, { revocationFeedUri: undefined, issuerMetadataUris: [] }],
    ['a URL: that feed, no metadata read', 'https://feed.test/r', { revocationFeedUri: 'https://feed.test/r', issuerMetadataUris: [] }],
  ] as const)('revocationFeedUri %s', async (_case, revocationFeedUri, expected) => {
    const moduleRef = await Test.createTestingModule({ imports: [JwtAuthModule.forRoot({ ...options, revocationFeedUri })] }).compile();

    expect(moduleRef.get<JwtAuthSettings>(JWT_AUTH_SETTINGS)).toMatchObject(expected);
    await moduleRef.close();
  });

  it('reads the duration options as text with a unit, or as bare numbers in the unit each option names', async () => {
    const settingsOf = async (override: Partial<JwtAuthModuleOptions>) => {
      const moduleRef = await Test.createTestingModule({ imports: [JwtAuthModule.forRoot({ ...options, ...override })] }).compile();
      const settings = moduleRef.get<JwtAuthSettings>(JWT_AUTH_SETTINGS);
      await moduleRef.close();
      return settings;
    };
    const asText = {
      clockTolerance: '1m',
      maxTokenAge: '12h',
      jwksCacheMaxAge: '15m',
      jwksTimeout: '500ms',
      revocationPollInterval: '2.5s',
      revocationMaxStaleness: '2m',
    } as const;
    const asNumbers = {
      clockTolerance: 60,
      maxTokenAge: 43_200,
      jwksCacheMaxAge: 900_000,
      jwksTimeout: 500,
      revocationPollInterval: 2500,
      revocationMaxStaleness: 120_000,
    };

    expect(await settingsOf(asText)).toMatchObject(asNumbers);
    expect(await settingsOf(asNumbers)).toMatchObject(asNumbers);
    expect(await settingsOf({})).toMatchObject({
      clockTolerance: 30,
      maxTokenAge: 86_400,
      jwksCacheMaxAge: 600_000,
      jwksTimeout: 5000,
      revocationPollInterval: 5000,
      revocationMaxStaleness: 0,
    });
  });

  it('is global only when asked', () => {
    expect(JwtAuthModule.forRoot(options).global).toBe(false);
    expect(JwtAuthModule.forRoot({ ...options, isGlobal: true }).global).toBe(true);
  });

  it.each([
    ['an HMAC algorithm', { algorithms: ['HS256'] }, /algorithms/],
    ['alg none', { algorithms: ['none'] }, /algorithms/],
    ['no algorithm', { algorithms: [] }, /algorithms/],
    ['a non-http JWKS URI', { jwksUri: 'file:///etc/jwks.json' }, /jwksUri/],
    ['an empty audience', { audience: [] }, /audience/],
    ['a negative clock tolerance', { clockTolerance: -1 }, /clockTolerance/],
    ['a zero cache age (which would mean a read per request)', { jwksCacheMaxAge: 0 }, /jwksCacheMaxAge/],
    ['a negative verified-token cache size', { verifiedTokenCacheSize: -1 }, /verifiedTokenCacheSize/],
    ['a zero max token age', { maxTokenAge: 0 }, /maxTokenAge/],
    ['an infinite max token age', { maxTokenAge: Number.POSITIVE_INFINITY }, /maxTokenAge/],
    ['a fractional verified-token cache size', { verifiedTokenCacheSize: 1.5 }, /verifiedTokenCacheSize/],
    ['no issuer', { issuer: undefined }, /issuer/],
    ['a non-URL issuer without a jwksUri', { issuer: 'urn:example:issuer', jwksUri: undefined }, /"jwksUri" must be given/],
    ['a non-http revocation feed', { revocationFeedUri: 'ftp://feed' }, /revocationFeedUri/],
    ["the word 'off' as the feed (false turns it off)", { revocationFeedUri: 'off' }, /"revocationFeedUri" must be an http\(s\) URL, or false/],
    ['true as the feed', { revocationFeedUri: true }, /revocationFeedUri/],
    ['a duration that is not one', { jwksTimeout: 'soon' }, /"jwksTimeout" must be a duration such as '500ms', '30s'/],
    ['a duration text without its unit (seconds to the environment, milliseconds as a number)', { jwksTimeout: '900' }, /"jwksTimeout" must be a duration/],
    ['a negative duration text', { clockTolerance: '-5s' }, /"clockTolerance" must be a duration/],
    ['a zero poll interval as text', { revocationPollInterval: '0s' }, /"revocationPollInterval" must be a finite number above zero/],
  ])('refuses to start with %s', async (_case, override, message) => {
    const bad = { ...options, ...override } as JwtAuthModuleOptions;

    await expect(Test.createTestingModule({ imports: [JwtAuthModule.forRoot(bad)] }).compile()).rejects.toThrow(message);
  });
});
