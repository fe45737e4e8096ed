import { createHealthController, READINESS_CHECKS, type ReadinessCheck } from '@app/observability';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DATABASE, type Database } from '../database/database.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';
import { KeysModule } from '../keys/keys.module.js';

/** Ready to issue tokens: the database answers and a signing key is active. */
function readiness(db: Database, keys: KeyStore): ReadinessCheck[] {
  return [
    {
      name: 'database',
      probe: async () => (await db.ping(), { dialect: db.dialect }),
      down: 'database unreachable',
    },
    {
      name: 'signing_key',
      // Both keys a sign-in needs: the access-token key and the ID-token key (the same one with RS256).
      probe: () => {
        const key = keys.signingKey();
        const idKey = keys.idTokenKey();
        if (!key || !idKey) return false;
        return idKey === key ? { kid: key.kid, alg: key.alg } : { kid: key.kid, alg: key.alg, id_token_kid: idKey.kid };
      },
      down: 'no active signing key',
    },
  ];
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), KeysModule],
  controllers: [createHealthController({ readySummary: 'Readiness: not shutting down, database reachable, a signing key active' })],
  providers: [{ provide: READINESS_CHECKS, inject: [DATABASE, KEY_STORE], useFactory: readiness }],
})
export class HealthModule {}
