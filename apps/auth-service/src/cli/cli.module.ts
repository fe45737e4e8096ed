import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '../app.module.js';
import type { AuthConfig } from '../config/auth.config.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';

/** What operator commands need: configuration, the database, users and sessions; no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return { module: CliModule, imports: [CoreModule.forRoot(config), UsersModule, SessionsModule] };
  }
}
