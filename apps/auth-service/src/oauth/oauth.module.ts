import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DpopModule } from '../dpop/dpop.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { RevocationModule } from '../revocation/revocation.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { UsersModule } from '../users/users.module.js';
import { ClientAuthenticator } from './client-authentication.js';
import { GrantAudiences } from './grant-policy.js';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { CodesModule } from '../codes/codes.module.js';
import { SsoModule } from '../sso/sso.module.js';
import { PasswordGrant } from './grants/password.grant.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import { TokenExchangeGrant } from './grants/token-exchange.grant.js';
import { IntrospectionService } from './introspection.service.js';
import { LiveAccessTokens } from './live-access-tokens.js';
import { GRANT_HANDLERS } from './grants/grant-handler.js';
import { OAuthController } from './oauth.controller.js';
import { UserinfoController } from './userinfo.controller.js';
import { TokenGrantsService } from './token-grants.service.js';
import { TokenRevocation } from './token-revocation.service.js';

/** The grants the token endpoint serves; the metadata document lists exactly these. */
export const OAUTH_GRANTS = [AuthorizationCodeGrant, PasswordGrant, RefreshTokenGrant, ClientCredentialsGrant, TokenExchangeGrant] as const;

/**
 * The one grant implementation: `/oauth/token` (one handler per grant), `/oauth/revoke`, `/oauth/introspect`
 * for registered clients, and the user grants and RFC 7009 revocation that `/auth/*` adapts.
 */
@Module({
  imports: [TokensModule, ClientsModule, SessionsModule, ThrottlingModule, UsersModule, RevocationModule, DpopModule, CodesModule, SsoModule],
  controllers: [OAuthController, UserinfoController],
  providers: [
    ...OAUTH_GRANTS,
    { provide: GRANT_HANDLERS, inject: [...OAUTH_GRANTS], useFactory: (...handlers: InstanceType<(typeof OAUTH_GRANTS)[number]>[]) => handlers },
    ClientAuthenticator,
    GrantAudiences,
    IntrospectionService,
    LiveAccessTokens,
    TokenGrantsService,
    TokenRevocation,
  ],
  exports: [GRANT_HANDLERS, TokenGrantsService, TokenRevocation],
})
export class OAuthModule {}
