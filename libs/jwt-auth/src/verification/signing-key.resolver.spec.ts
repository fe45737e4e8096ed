import { Test, type TestingModule } from '@nestjs/testing';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, type TestKey } from '../testing/jwks-fixture.js';
import { JWT_AUTH_CLOCK } from '../jwt-auth.constants.js';
import { JwtAuthModule } from '../jwt-auth.module.js';
import { SigningKeyResolver, type ResolvedKey } from './signing-key.resolver.js';

describe('SigningKeyResolver', () => {
  it('hands out the same imported KeyObject while the published key is unchanged', async () => {
    const key = await createTestKey('RS256');
    const jwks = await JwksFixture.start(key);
    let nowMs = 1_000_000;
    const moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRoot({
          jwksUri: jwks.uri,
          issuer: 'http://issuer.test',
          audience: 'resource-service',
          algorithms: ['RS256'],
          clockTolerance: 0,
          jwksCacheMaxAge: 1,
          jwksRequestsPerMinute: 100,
        }),
      ],
    })
      .overrideProvider(JWT_AUTH_CLOCK)
      .useValue(() => nowMs)
      .compile();
    const resolver = moduleRef.get(SigningKeyResolver);

    const first = await resolver.resolve(key.kid);
    nowMs += 10;
    const second = await resolver.resolve(key.kid);

    expect(jwks.requests).toBe(2);
    expect(second.key).toBe(first.key);
    expect(first.key.equals(key.publicKey)).toBe(true);
    await moduleRef.close();
    await jwks.stop();
  });
});

describe('SigningKeyResolver.isConfirmed (on an injected clock)', () => {
  const MAX_AGE_MS = 60_000;
  let nowMs: number;
  let jwks: JwksFixture;
  let moduleRef: TestingModule;
  let resolver: SigningKeyResolver;
  let key: TestKey;

  beforeEach(async () => {
    nowMs = 1_000_000;
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
    moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRoot({
          jwksUri: jwks.uri,
          issuer: 'http://issuer.test',
          audience: 'resource-service',
          algorithms: ['ES256'],
          clockTolerance: 0,
          jwksCacheMaxAge: MAX_AGE_MS,
          jwksRequestsPerMinute: 100,
        }),
      ],
    })
      .overrideProvider(JWT_AUTH_CLOCK)
      .useValue(() => nowMs)
      .compile();
    resolver = moduleRef.get(SigningKeyResolver);
  });

  afterEach(async () => {
    await moduleRef.close();
    await jwks.stop();
  });

  /** A lookup of a kid nobody published: the resolver rereads the key set (and refuses the kid). */
  const rereadKeySet = () => expect(resolver.resolve('not-published')).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });

  it('knows a key without a read only while the set that lists it is younger than the cache age', async () => {
    expect(resolver.known(key.kid)).toBeUndefined();
    const resolved = await resolver.resolve(key.kid);

    expect(resolver.known(key.kid)).toBe(resolved);
    expect(resolver.known('not-published')).toBeUndefined();
    nowMs += MAX_AGE_MS - 1;
    expect(resolver.known(key.kid)).toBe(resolved);
    nowMs += 1;
    expect(resolver.known(key.kid)).toBeUndefined();
  });

  it('knows no key that a later read no longer lists', async () => {
    await resolver.resolve(key.kid);
    jwks.publish(await createTestKey('ES256'));
    nowMs += MAX_AGE_MS;

    await expect(resolver.resolve(key.kid)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
    expect(resolver.known(key.kid)).toBeUndefined();
  });

  it('confirms a key for the JWKS cache age after the read that listed it, and not from then on', async () => {
    const resolved = await resolver.resolve(key.kid);

    expect(resolver.isConfirmed(resolved)).toBe(true);
    nowMs += MAX_AGE_MS - 1;
    expect(resolver.isConfirmed(resolved)).toBe(true);
    nowMs += 1;
    expect(resolver.isConfirmed(resolved)).toBe(false);
  });

  it('stops confirming a key as soon as a read no longer lists it', async () => {
    const resolved = await resolver.resolve(key.kid);
    jwks.publish(await createTestKey('ES256'));

    await rereadKeySet();

    expect(resolver.isConfirmed(resolved)).toBe(false);
  });

  it('stops confirming a key when a read lists its kid with another key', async () => {
    const resolved = await resolver.resolve(key.kid);
    jwks.publish(await createTestKey('ES256', { kid: key.kid }));

    await rereadKeySet();

    expect(resolver.isConfirmed(resolved)).toBe(false);
  });

  it('stops confirming a key when a read lists it with another alg', async () => {
    const resolved = await resolver.resolve(key.kid);
    jwks.publish({ ...key.publicJwk, alg: 'ES384' });

    await rereadKeySet();

    expect(resolver.isConfirmed(resolved)).toBe(false);
  });

  it('keeps confirming a key that a later read still lists unchanged', async () => {
    const resolved = await resolver.resolve(key.kid);
    jwks.add(await createTestKey('ES256'));
    nowMs += MAX_AGE_MS - 1;

    await rereadKeySet();
    nowMs += MAX_AGE_MS - 1;

    expect(resolver.isConfirmed(resolved)).toBe(true);
  });

  it('confirms nothing it did not resolve itself', async () => {
    await resolver.resolve(key.kid);
    const lookalike: ResolvedKey = { kid: key.kid, key: key.publicKey, jwkAlg: 'ES256', pem: key.publicPem };

    expect(resolver.isConfirmed(lookalike)).toBe(false);
  });
});
