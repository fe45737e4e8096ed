import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '../app.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { CLOCK, type Clock } from '../time/clock.js';
import type { AuthConfig } from '../config/auth.config.js';
import { DATABASE, type Database } from '../database/database.js';
import { KeyAdmin } from '../keys/managed/key-admin.js';
import { rotationPolicy } from '../keys/managed/managed-key.store.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';

/** Present only with KEYS_SOURCE=managed; `pem` keys are files. */
export const KEY_ADMIN = Symbol('KEY_ADMIN');

/** What operator commands need: configuration, the database, users, clients, sessions and the key table; no HTTP, no key store. */
@Module({})
export class CliModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [CoreModule.forRoot(config), UsersModule, SessionsModule, ClientsModule],
      providers: [
        {
          provide: KEY_ADMIN,
          inject: [DATABASE, CLOCK],
          useFactory: (db: Database, clock: Clock) =>
            config.keys.source === 'managed' ? new KeyAdmin(db, clock, rotationPolicy(config.keys, config.tokens)) : null,
        },
      ],
    };
  }
}
