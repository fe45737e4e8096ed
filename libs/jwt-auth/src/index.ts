export { JwtAuthModule } from './jwt-auth.module.js';
// The shared types a consumer needs (what `@CurrentUser()` gives, the error codes of the answers).
export {
  ACCESS_TOKEN_TYPE_URN,
  type Actor,
  actorChain,
  ErrorCode,
  isAuthenticatedClient,
  MAX_ACT_DEPTH,
  TOKEN_EXCHANGE_GRANT_TYPE,
  SUPPORTED_ALGORITHMS,
  type AuthenticatedCaller,
  type AuthenticatedClient,
  type AuthenticatedUser,
  type ErrorResponse,
  type JwsAlgorithm,
} from '@app/contracts';
export { JWT_AUTH_MODULE_OPTIONS, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } from './jwt-auth.module-definition.js';
export type {
  JwtAuthClientOptions,
  JwtAuthClientSettings,
  JwtAuthClock,
  JwtAuthDpopOptions,
  JwtAuthDpopSettings,
  JwtAuthDuration,
  JwtAuthModuleOptions,
  JwtAuthSettings,
} from './interfaces/jwt-auth-options.interface.js';
export type { JwksFetchResult, JwtAuthMetrics, RevocationFeedResult, VerificationOutcome } from './interfaces/jwt-auth-metrics.interface.js';
export { verificationOutcomeOf } from './metrics/verification-outcome.js';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_DPOP_PROOF_WINDOW_SECONDS,
  DEFAULT_JWKS_CACHE_MAX_AGE_MS,
  DEFAULT_JWKS_MAX_BYTES,
  DEFAULT_JWKS_REQUESTS_PER_MINUTE,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_REVOCATION_POLL_INTERVAL_MS,
  DEFAULT_VERIFIED_TOKEN_CACHE_SIZE,
  IS_PUBLIC_KEY,
  JWT_AUTH_CLOCK,
  JWT_AUTH_METRICS,
  JWT_AUTH_STRATEGY,
  REQUIRED_SCOPES_KEY,
} from './jwt-auth.constants.js';
export {
  DownstreamTokenError,
  InsufficientScopeError,
  JwksUnreachableError,
  JwtAuthError,
  JwtAuthOptionsError,
  TokenExpiredError,
  TokenInvalidError,
  TokenMissingError,
} from './jwt-auth.errors.js';
export { JwtAuthGuard } from './jwt-auth.guard.js';
export { JwtAuthStrategy, type VerifyCallback } from './passport/jwt-auth.strategy.js';
export { BearerAuthenticator, type BearerRequest } from './bearer/bearer-authenticator.js';
export { TokenVerifier } from './verification/token-verifier.js';
export { type AuthenticatedRequest, DownstreamTokens } from './downstream/downstream-tokens.js';
export { JwksStatus } from './verification/jwks-status.js';
export { RevocationPoller } from './revocation/revocation-poller.js';
export type { FeedDiscoveryState } from './revocation/revocation-feed-discovery.js';
export { RevocationFeedStaleError } from './revocation/revocation-feed-stale.error.js';
export { JwtAuthExceptionFilter } from './filters/jwt-auth-exception.filter.js';
export { CurrentUser } from './decorators/current-user.decorator.js';
export { Public } from './decorators/public.decorator.js';
export { RequireScopes } from './decorators/require-scopes.decorator.js';
// DPoP (RFC 9449, docs/dpop.md): the one proof check, also used by the auth-service's token endpoint.
export { DpopProofVerifier, type CheckedDpopProof, type DpopProofInput, type DpopProofVerifierOptions } from './dpop/dpop-proof-verifier.js';
export { HmacDpopNonces, type DpopNonces } from './dpop/dpop-nonces.js';
export { MemoryDpopReplayStore, type DpopReplayStore } from './dpop/dpop-replay-store.js';
export { DEFAULT_REDIS_DPOP_KEY_PREFIX, RedisDpopReplayStore, type RedisDpopReplayStoreOptions, type RedisSetCommand } from './dpop/redis-dpop-replay-store.js';
export { DpopReplayStoreUnavailableError, InvalidDpopProofError, UseDpopNonceError } from './dpop/dpop.errors.js';
export { accessTokenHash, normalizedHtu } from './dpop/proof-rules.js';
export { jwkThumbprint, thumbprintInput } from './dpop/dpop-key.js';
