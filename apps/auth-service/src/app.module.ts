import { configModuleFor } from '@app/config';
import { type LogDestination, ObservabilityModule } from '@app/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthRoutesModule } from './auth-routes/auth-routes.module.js';
import { AuthorizeModule } from './authorize/authorize.module.js';
import { CLOCK, type Clock, systemClock } from './time/clock.js';
import { HttpExceptionFilter } from './http/http-exception.filter.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { AUTH_NAMESPACES, type AuthConfig } from './config/auth.config.js';
import { DatabaseModule } from './database/database.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { HealthModule } from './health/health.module.js';
import { JwksModule } from './jwks/jwks.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { RevocationModule } from './revocation/revocation.module.js';
import { DemoUserInitializer } from './users/demo-user.initializer.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class CoreModule {
  /** Validated configuration and the clock, global to every feature module. */
  static forRoot(config: AuthConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [configModuleFor(AUTH_NAMESPACES, config), DatabaseModule],
      providers: [{ provide: CLOCK, useValue: clock }],
      exports: [CLOCK],
    };
  }
}

/** The auth-service: users, login, keys, JWKS and discovery; logs, metrics and shutdown. */
@Module({})
export class AuthAppModule {
  static forRoot(config: AuthConfig, clock?: Clock, logs?: LogDestination): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [
        CoreModule.forRoot(config, clock),
        ObservabilityModule.forRoot({ service: 'auth-service', config: config.observability, logs }),
        MetricsModule.forRoot(config.observability.metrics),
        UsersModule,
        AuthRoutesModule,
        OAuthModule,
        AuthorizeModule,
        RevocationModule,
        JwksModule.forRoot(config.jwks.path),
        DiscoveryModule,
        HealthModule,
      ],
      providers: [DemoUserInitializer, { provide: APP_PIPE, useFactory: createValidationPipe }, { provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
