import { type ConfigOf, type Environment, loadConfig } from '@app/config';
import { observabilityConfig } from '@app/observability';
import { dpopReplayConfig } from './dpop-replay.config.js';
import { httpConfig } from './http.config.js';
import { revocationConfig } from './revocation.config.js';
import { verifierConfig } from './verifier.config.js';

/** The resource-service's namespaces, validated in this order at start. */
export const RESOURCE_NAMESPACES = [httpConfig, verifierConfig, dpopReplayConfig, revocationConfig, observabilityConfig] as const;

/** The resource-service's settings: `http`, `verifier`, `dpopReplay`, `revocation`, and the shared `observability` (logs, metrics, docs, CORS, shutdown, timeouts). */
export type ResourceConfig = ConfigOf<typeof RESOURCE_NAMESPACES>;

/** Validates the whole environment once; throws ConfigValidationError naming the first bad variable. */
export function loadResourceConfig(env: Environment): ResourceConfig {
  return loadConfig(RESOURCE_NAMESPACES, env);
}
