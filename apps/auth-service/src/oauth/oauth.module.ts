import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { RevocationModule } from '../revocation/revocation.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { UsersModule } from '../users/users.module.js';
import { ClientAuthenticator } from './client-authentication.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { PasswordGrant } from './grants/password.grant.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import { IntrospectionService } from './introspection.service.js';
import { GRANT_HANDLERS } from './grants/grant-handler.js';
import { OAuthController } from './oauth.controller.js';
import { OAuthEndpoints } from './oauth-endpoints.js';
import { OAuthExceptionFilter } from './oauth-exception.filter.js';
import { ROUTE_ERROR_RENDERERS } from '../common/route-error-renderers.js';

/** The grants the token endpoint serves; the metadata document lists exactly these. */
export const OAUTH_GRANTS = [PasswordGrant, RefreshTokenGrant, ClientCredentialsGrant] as const;

/** `/oauth/token`, `/oauth/revoke`, `/oauth/introspect` for registered clients. */
@Module({
  imports: [AuthModule, ClientsModule, SessionsModule, ThrottlingModule, KeysModule, UsersModule, RevocationModule],
  controllers: [OAuthController],
  providers: [
    ...OAUTH_GRANTS,
    { provide: GRANT_HANDLERS, inject: [...OAUTH_GRANTS], useFactory: (...handlers: InstanceType<(typeof OAUTH_GRANTS)[number]>[]) => handlers },
    ClientAuthenticator,
    IntrospectionService,
    OAuthEndpoints,
    OAuthExceptionFilter,
    { provide: ROUTE_ERROR_RENDERERS, inject: [OAuthExceptionFilter], useFactory: (filter: OAuthExceptionFilter) => [filter] },
  ],
  exports: [OAuthEndpoints, ROUTE_ERROR_RENDERERS],
})
export class OAuthModule {}
