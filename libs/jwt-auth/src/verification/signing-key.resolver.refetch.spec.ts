import { Test, type TestingModule } from '@nestjs/testing';
import { ErrorCode } from '@app/contracts';
import { JwksFixture, createTestKey, type TestKey } from '../testing/jwks-fixture.js';
import type { JwtAuthModuleOptions } from '../interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_CLOCK } from '../jwt-auth.constants.js';
import { JwtAuthModule } from '../jwt-auth.module.js';
import { READ_RETRY_AFTER_FAILURE_MS, SigningKeyResolver } from './signing-key.resolver.js';

const MAX_AGE_MS = 60_000;

/** The resolver's refetch rules, on a manual clock: nothing here waits for real time to pass. */
describe('SigningKeyResolver refetches (on a manual clock)', () => {
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
          algorithms: ['ES256'],
          clockTolerance: 0,
          jwksCacheMaxAge: MAX_AGE_MS,
          jwksRequestsPerMinute: 2,
          jwksTimeout: 1_000,
          ...options,
        }),
      ],
    })
      .overrideProvider(JWT_AUTH_CLOCK)
      .useValue(() => now)
      .compile();
    resolver = moduleRef.get(SigningKeyResolver);
    expect((await resolver.resolve(key.kid)).kid).toBe(key.kid);
    expect(jwks.requests).toBe(1);
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

  const refusedAsInvalid = (kid: string) => expect(resolver.resolve(kid)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
  const refusedAsUnreachable = (kid: string) => expect(resolver.resolve(kid)).rejects.toMatchObject({ code: ErrorCode.JwksUnreachable });

  describe('after a failed read', () => {
    beforeEach(async () => {
      await start();
      now += MAX_AGE_MS;
      jwks.failWith('http-500');
      expect((await resolver.resolve(key.kid)).kid).toBe(key.kid);
      expect(jwks.requests).toBe(2);
    });

    it(`answers known keys from the last set without a fetch for ${READ_RETRY_AFTER_FAILURE_MS} ms, then tries again`, async () => {
      now += READ_RETRY_AFTER_FAILURE_MS - 1;
      expect((await resolver.resolve(key.kid)).kid).toBe(key.kid);
      expect(jwks.requests).toBe(2);

      now += 1;
      jwks.recover();
      expect((await resolver.resolve(key.kid)).kid).toBe(key.kid);
      expect(jwks.requests).toBe(3);
      expect(resolver.isConfirmed(await resolver.resolve(key.kid))).toBe(true);
    });

    it('lets unknown kids start fetches only within the refetch budget, and answers 503 past it', async () => {
      await refusedAsUnreachable('made-up-1');
      await refusedAsUnreachable('made-up-2');
      expect(jwks.requests).toBe(4);

      await refusedAsUnreachable('made-up-3');
      expect(jwks.requests).toBe(4);
      expect((await resolver.resolve(key.kid)).kid).toBe(key.kid);
      expect(jwks.requests).toBe(4);
    });
  });

  describe('with a fresh set', () => {
    beforeEach(() => start());

    it('answers an unknown kid past the refetch budget 401 (the fresh set does not list it), not 503', async () => {
      await refusedAsInvalid('made-up-1');
      await refusedAsInvalid('made-up-2');
      expect(jwks.requests).toBe(3);

      await refusedAsInvalid('made-up-3');
      expect(jwks.requests).toBe(3);
    });

    it('spends one fetch of the budget on concurrent unknown kids, so a key published next is found at once', async () => {
      const junk = await Promise.allSettled(Array.from({ length: 10 }, (_, index) => resolver.resolve(`made-up-${index}`)));
      expect(junk.map((result) => result.status)).toEqual(Array(10).fill('rejected'));
      expect(jwks.requests).toBe(2);

      const published = await createTestKey('ES256');
      jwks.add(published);
      expect((await resolver.resolve(published.kid)).kid).toBe(published.kid);
      expect(jwks.requests).toBe(3);
    });

    it('finds a key published after the budget is spent at the next permitted refetch, 60 s / limit later', async () => {
      await refusedAsInvalid('made-up-1');
      await refusedAsInvalid('made-up-2');
      const published = await createTestKey('ES256');
      jwks.add(published);

      await refusedAsInvalid(published.kid);
      now += 30_000 - 1;
      await refusedAsInvalid(published.kid);
      expect(jwks.requests).toBe(3);

      now += 1;
      expect((await resolver.resolve(published.kid)).kid).toBe(published.kid);
      expect(jwks.requests).toBe(4);
    });
  });
});
