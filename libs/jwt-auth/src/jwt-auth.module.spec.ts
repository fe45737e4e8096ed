import { Test } from '@nestjs/testing';
import type { JwtAuthModuleOptions } from './interfaces/jwt-auth-options.interface.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtAuthModule } from './jwt-auth.module.js';
import { TokenVerifier } from './verification/token-verifier.js';

const options: JwtAuthModuleOptions = {
  jwksUri: 'http://127.0.0.1:1/.well-known/jwks.json',
  issuer: 'http://issuer.test',
  audience: 'resource-service',
  algorithms: ['RS256', 'EdDSA'],
  clockTolerance: 30,
};

describe('JwtAuthModule', () => {
  it('provides the TokenVerifier and the guard from forRoot', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [JwtAuthModule.forRoot(options)] }).compile();

    expect(moduleRef.get(TokenVerifier)).toBeInstanceOf(TokenVerifier);
    expect(moduleRef.get(JwtAuthGuard)).toBeInstanceOf(JwtAuthGuard);
    await moduleRef.close();
  });

  it('provides the TokenVerifier from forRootAsync with injected dependencies', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        JwtAuthModule.forRootAsync({
          useFactory: (issuer: string) => ({ ...options, issuer }),
          inject: ['ISSUER'],
          provideInjectionTokensFrom: [{ provide: 'ISSUER', useValue: 'http://other-issuer.test' }],
        }),
      ],
    }).compile();

    expect(moduleRef.get(TokenVerifier)).toBeInstanceOf(TokenVerifier);
    await moduleRef.close();
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
  ])('refuses to start with %s', async (_case, override, message) => {
    const bad = { ...options, ...override } as JwtAuthModuleOptions;

    await expect(Test.createTestingModule({ imports: [JwtAuthModule.forRoot(bad)] }).compile()).rejects.toThrow(message);
  });
});
