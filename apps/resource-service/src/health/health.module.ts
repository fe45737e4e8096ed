import { JwksStatus, Public } from '@app/jwt-auth';
import { createHealthController, READINESS_CHECKS, type ReadinessCheck } from '@app/observability';
import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import type { RedisClientType } from 'redis';
import { verifierConfig } from '../config/verifier.config.js';
import { DPOP_REPLAY_REDIS, DpopReplayModule } from '../dpop-replay/dpop-replay.module.js';
import { dpopReplayReadiness } from '../dpop-replay/dpop-replay.readiness.js';

/** Ready to verify: the JWKS has been read at least once or answers now; with DPOP_REQUIRED, the Redis of the replay records answers (if one is set). */
function readiness(jwks: JwksStatus, redis: RedisClientType | null, verifier: ConfigType<typeof verifierConfig>): ReadinessCheck[] {
  return [
    { name: 'jwks', probe: async () => (await jwks.ensureReachable(), {}), down: 'JWKS never fetched and not reachable' },
    ...dpopReplayReadiness(redis, verifier.dpopRequired),
  ];
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DpopReplayModule],
  controllers: [
    createHealthController({
      readySummary: 'Readiness: not shutting down, JWKS read at least once or reachable; with DPOP_REQUIRED and DPOP_REPLAY_REDIS_URL, Redis answers',
      decorators: [Public()],
    }),
  ],
  providers: [{ provide: READINESS_CHECKS, inject: [JwksStatus, DPOP_REPLAY_REDIS, verifierConfig.KEY], useFactory: readiness }],
})
export class HealthModule {}
