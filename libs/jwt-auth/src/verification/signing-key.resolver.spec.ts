import { Test } from '@nestjs/testing';
import { JwksFixture, createTestKey } from '../../../../test/support/jwks-fixture.js';
import { JwtAuthModule } from '../jwt-auth.module.js';
import { SigningKeyResolver } from './signing-key.resolver.js';

describe('SigningKeyResolver', () => {
  it('hands out the same imported KeyObject while the published key is unchanged', async () => {
    const key = await createTestKey('RS256');
    const jwks = await JwksFixture.start(key);
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
    }).compile();
    const resolver = moduleRef.get(SigningKeyResolver);

    const first = await resolver.resolve(key.kid);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await resolver.resolve(key.kid);

    expect(jwks.requests).toBe(2);
    expect(second.key).toBe(first.key);
    expect(first.key.equals(key.publicKey)).toBe(true);
    await moduleRef.close();
    await jwks.stop();
  });
});
