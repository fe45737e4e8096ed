import { Module, type DynamicModule } from '@nestjs/common';
import { configModuleFor } from '@app/config';
import type { ConfigType } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { type DpopReplayStore, JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule, type JwtAuthModuleOptions } from '@app/jwt-auth';
import { type LogDestination, ObservabilityModule, VerifierMetrics } from '@app/observability';
import { RESOURCE_NAMESPACES, type ResourceConfig } from './config/resource.config.js';
import { revocationConfig } from './config/revocation.config.js';
import { verifierConfig } from './config/verifier.config.js';
import { DPOP_REPLAY_STORE, DpopReplayModule } from './dpop-replay/dpop-replay.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ResourceModule } from './resource/resource.module.js';

function jwtAuthOptions(
  settings: ConfigType<typeof verifierConfig>,
  revocation: ConfigType<typeof revocationConfig>,
  metrics: VerifierMetrics,
  replayStore: DpopReplayStore | null,
): JwtAuthModuleOptions {
  return {
    jwksUri: settings.jwksUri,
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: settings.algorithms,
    clockTolerance: settings.clockToleranceSeconds,
    maxTokenAge: settings.maxTokenAgeSeconds,
    jwksCacheMaxAge: settings.jwksCacheMaxAgeMs,
    jwksRequestsPerMinute: settings.jwksRequestsPerMinute,
    jwksTimeout: settings.jwksTimeoutMs,
    jwksMaxBytes: settings.jwksMaxBytes,
    metrics,
    verifiedTokenCacheSize: settings.verifiedTokenCacheSize,
    revocationFeedUri: revocation.feedUri,
    revocationPollInterval: revocation.pollIntervalMs,
    revocationMaxStaleness: revocation.maxStalenessMs,
    dpop: {
      required: settings.dpopRequired,
      proofWindow: settings.dpopProofWindowSeconds,
      publicUrl: settings.publicUrl,
      // null: the module's default, each instance's memory (DPOP_REPLAY_REDIS_URL unset).
      replayStore: replayStore ?? undefined,
    },
  };
}

/** The resource service: verifies access tokens against the issuer's JWKS; holds no key and signs nothing. */
@Module({})
export class ResourceAppModule {
  static forRoot(config: ResourceConfig, logs?: LogDestination): DynamicModule {
    return {
      module: ResourceAppModule,
      imports: [
        configModuleFor(RESOURCE_NAMESPACES, config),
        ObservabilityModule.forRoot({ service: 'resource-service', config: config.observability, logs, verifier: true }),
        JwtAuthModule.forRootAsync({
          isGlobal: true,
          imports: [DpopReplayModule],
          inject: [verifierConfig.KEY, revocationConfig.KEY, VerifierMetrics, DPOP_REPLAY_STORE],
          useFactory: jwtAuthOptions,
        }),
        MetricsModule.forRoot(config.observability.metrics),
        ResourceModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_FILTER, useClass: JwtAuthExceptionFilter },
      ],
    };
  }
}
