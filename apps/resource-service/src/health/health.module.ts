import { JwksStatus, Public } from '@app/jwt-auth';
import { createHealthController, READINESS_CHECKS, type ReadinessCheck } from '@app/observability';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

/** Ready to verify: the JWKS has been read at least once or answers now. */
function readiness(jwks: JwksStatus): ReadinessCheck[] {
  return [{ name: 'jwks', probe: async () => (await jwks.ensureReachable(), {}), down: 'JWKS never fetched and not reachable' }];
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [createHealthController({ readySummary: 'Readiness: not shutting down, JWKS read at least once or reachable', decorators: [Public()] })],
  providers: [{ provide: READINESS_CHECKS, inject: [JwksStatus], useFactory: readiness }],
})
export class HealthModule {}
