import { Module } from '@nestjs/common';
import type { JwtAuthClock, JwtAuthSettings } from './interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_CLOCK, JWT_AUTH_METRICS, JWT_AUTH_SETTINGS } from './jwt-auth.constants.js';
import { ConfigurableModuleClass, JWT_AUTH_MODULE_OPTIONS } from './jwt-auth.module-definition.js';
import { resolveJwtAuthOptions } from './jwt-auth.options.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { BearerAuthenticator } from './bearer/bearer-authenticator.js';
import { DownstreamTokens } from './downstream/downstream-tokens.js';
import { HmacDpopNonces } from './dpop/dpop-nonces.js';
import { DpopProofVerifier } from './dpop/dpop-proof-verifier.js';
import { MemoryDpopReplayStore } from './dpop/dpop-replay-store.js';
import { RevocationFeedDiscovery } from './revocation/revocation-feed-discovery.js';
import { RevocationPoller } from './revocation/revocation-poller.js';
import { JwksStatus } from './verification/jwks-status.js';
import { SigningKeyResolver } from './verification/signing-key.resolver.js';
import { TokenVerifier } from './verification/token-verifier.js';
import { VerifiedTokenCache } from './verification/verified-token-cache.js';

const systemClock: JwtAuthClock = () => Date.now();

/** The proof check of `Authorization: DPoP` requests, from the `dpop` options (docs/dpop.md). */
function dpopProofVerifier(settings: JwtAuthSettings, clock: JwtAuthClock): DpopProofVerifier {
  const { dpop } = settings;
  return new DpopProofVerifier({
    algorithms: settings.algorithms,
    proofWindowSeconds: dpop.proofWindow,
    clockToleranceSeconds: settings.clockTolerance,
    replayStore: dpop.replayStore ?? new MemoryDpopReplayStore(undefined, clock),
    nonces: dpop.nonces === true ? new HmacDpopNonces(undefined, dpop.proofWindow * 1000, clock) : dpop.nonces,
    clock,
  });
}

/**
 * Verifies access tokens issued elsewhere: `JwtAuthModule.forRoot({...})` or `forRootAsync({...})`,
 * then register `JwtAuthGuard` with APP_GUARD and `JwtAuthExceptionFilter` with APP_FILTER. For
 * `AuthGuard('jwt')` of `@nestjs/passport`, list `JwtAuthStrategy` in the importing module's providers.
 * With `client: { id, secret }`, `DownstreamTokens` gets tokens to call the next service (downstream/).
 */
@Module({
  providers: [
    { provide: JWT_AUTH_SETTINGS, useFactory: resolveJwtAuthOptions, inject: [JWT_AUTH_MODULE_OPTIONS] },
    { provide: JWT_AUTH_CLOCK, useValue: systemClock },
    { provide: JWT_AUTH_METRICS, useFactory: (settings: JwtAuthSettings) => settings.metrics, inject: [JWT_AUTH_SETTINGS] },
    JwksStatus,
    SigningKeyResolver,
    VerifiedTokenCache,
    TokenVerifier,
    { provide: DpopProofVerifier, useFactory: dpopProofVerifier, inject: [JWT_AUTH_SETTINGS, JWT_AUTH_CLOCK] },
    RevocationFeedDiscovery,
    RevocationPoller,
    BearerAuthenticator,
    JwtAuthGuard,
    DownstreamTokens,
  ],
  exports: [TokenVerifier, BearerAuthenticator, DpopProofVerifier, JwtAuthGuard, JwksStatus, RevocationPoller, DownstreamTokens, JWT_AUTH_METRICS],
})
export class JwtAuthModule extends ConfigurableModuleClass {}
