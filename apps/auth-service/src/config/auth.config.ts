import { type ConfigOf, type Environment, loadConfig } from '@app/config';
import { observabilityConfig } from '@app/observability';
import { dpopConfig } from './dpop.config.js';
import { databaseConfig } from './database.config.js';
import { httpConfig } from './http.config.js';
import { jwksConfig } from './jwks-route.config.js';
import { keysConfig } from './keys.config.js';
import { passwordsConfig } from './passwords.config.js';
import { securityConfig } from './security.config.js';
import { sessionsConfig } from './sessions.config.js';
import { throttleConfig } from './throttle.config.js';
import { tokensConfig } from './tokens.config.js';
import { usersConfig } from './users.config.js';

/**
 * The auth-service's namespaces, validated in this order at start; `observability` (logs, metrics,
 * API docs, CORS, shutdown, HTTP timeouts) is the one both services share.
 */
export const AUTH_NAMESPACES = [
  httpConfig,
  tokensConfig,
  dpopConfig,
  keysConfig,
  jwksConfig,
  databaseConfig,
  sessionsConfig,
  securityConfig,
  throttleConfig,
  passwordsConfig,
  usersConfig,
  observabilityConfig,
] as const;

/** Every setting of the auth-service, by namespace. */
export type AuthConfig = ConfigOf<typeof AUTH_NAMESPACES>;

/** Validates the whole environment once; throws ConfigValidationError naming the first bad variable. */
export function loadAuthConfig(env: Environment): AuthConfig {
  return loadConfig(AUTH_NAMESPACES, env);
}
