import { randomBytes } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import type { JWK } from 'jose';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, type TestKey } from '../testing/jwks-fixture.js';
import type { JwtAuthModuleOptions } from '../interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_CLOCK } from '../jwt-auth.constants.js';
import { JwtAuthModule } from '../jwt-auth.module.js';
import { SigningKeyResolver } from './signing-key.resolver.js';

const MAX_AGE_MS = 60_000;

/** Importable Ed25519 entries nobody holds the private half of: a bloated but well-formed set. */
const junk = (count: number): JWK[] =>
  Array.from({ length: count }, (_, index) => ({ kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url'), kid: `junk-${index}`, alg: 'EdDSA' }));

/** A key set that is too big, bloated or mixed with unusable entries never costs a key that works. */
describe('SigningKeyResolver against a hostile key set (on a manual clock)', () => {
  let now: number;
  let jwks: JwksFixture;
  let moduleRef: TestingModule;
  let resolver: SigningKeyResolver;
  let key: TestKey;

  async function start(options: Partial<JwtAuthModuleOptions> = {}): Promise<void> {
    moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRoot({
          jwksUri: jwks.uri,
          issuer: 'http://issuer.test',
          audience: 'resource-service',
          algorithms: ['ES256', 'EdDSA'],
          clockTolerance: 0,
          jwksCacheMaxAge: MAX_AGE_MS,
          jwksRequestsPerMinute: 10,
          jwksMaxBytes: 4 * 1024 * 1024,
          ...options,
        }),
      ],
    })
      .overrideProvider(JWT_AUTH_CLOCK)
      .useValue(() => now)
      .compile();
    resolver = moduleRef.get(SigningKeyResolver);
  }

  beforeEach(async () => {
    now = 1_000_000;
    key = await createTestKey('ES256');
    jwks = await JwksFixture.start(key);
  });

  afterEach(async () => {
    await moduleRef.close();
    await jwks.stop();
  });

  it('keeps a key in use that a re-read lists last among 10,000', async () => {
    await start();
    const resolved = await resolver.resolve(key.kid);
    jwks.publish(...junk(10_000), key);
    now += MAX_AGE_MS;

    expect(await resolver.resolve(key.kid)).toBe(resolved);
    expect(jwks.requests).toBe(2);
    expect(resolver.isConfirmed(resolved)).toBe(true);
  });

  it('finds a kid a request asks for that a set of 10,000 lists last', async () => {
    jwks.publish(...junk(10_000), key);
    await start();

    expect((await resolver.resolve(key.kid)).kid).toBe(key.kid);
  });

  it('keeps the last good set when a read is over JWKS_MAX_BYTES, and answers an unknown kid 503', async () => {
    await start({ jwksMaxBytes: 4_096 });
    const resolved = await resolver.resolve(key.kid);
    jwks.publish(key, ...junk(100));
    now += MAX_AGE_MS;

    expect(await resolver.resolve(key.kid)).toBe(resolved);
    expect(jwks.requests).toBe(2);
    await expect(resolver.resolve('junk-1')).rejects.toMatchObject({ code: ErrorCode.JwksUnreachable });
  });

  it('skips entries of the wrong kty, alg or use listed before the real key under its kid', async () => {
    const { kid } = key;
    jwks.publish(
      { kty: 'oct', k: 'c2VjcmV0', kid, alg: 'HS256' },
      { ...key.publicJwk, alg: 'RS256' },
      { ...key.publicJwk, use: 'enc' },
      { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'off-curve', alg: 'ES256' },
      key,
    );
    await start();

    expect((await resolver.resolve(kid)).key.equals(key.publicKey)).toBe(true);
    await expect(resolver.resolve('off-curve')).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
  });
});
