import { Module } from '@nestjs/common';
import type { JwtAuthClock, JwtAuthSettings } from './interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_CLOCK, JWT_AUTH_METRICS, JWT_AUTH_SETTINGS } from './jwt-auth.constants.js';
import { ConfigurableModuleClass, JWT_AUTH_MODULE_OPTIONS } from './jwt-auth.module-definition.js';
import { resolveJwtAuthOptions } from './jwt-auth.options.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { BearerAuthenticator } from './bearer/bearer-authenticator.js';
import { DownstreamTokens } from './downstream/downstream-tokens.js';
import { RevocationFeedDiscovery } from './revocation/revocation-feed-discovery.js';
import { RevocationPoller } from './revocation/revocation-poller.js';
import { JwksStatus } from './verification/jwks-status.js';
import { SigningKeyResolver } from './verification/signing-key.resolver.js';
import { TokenVerifier } from './verification/token-verifier.js';
import { VerifiedTokenCache } from './verification/verified-token-cache.js';

const systemClock: JwtAuthClock = () => Date.now();

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
    RevocationFeedDiscovery,
    RevocationPoller,
    BearerAuthenticator,
    JwtAuthGuard,
    DownstreamTokens,
  ],
  exports: [TokenVerifier, BearerAuthenticator, JwtAuthGuard, JwksStatus, RevocationPoller, DownstreamTokens, JWT_AUTH_METRICS],
})
export class JwtAuthModule extends ConfigurableModuleClass {}
