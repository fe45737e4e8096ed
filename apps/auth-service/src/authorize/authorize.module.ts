import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { CodesModule } from '../codes/codes.module.js';
import { ConsentModule } from '../consent/consent.module.js';
import { HTML_ERROR_PAGES } from '../http/html-pages.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { SsoModule } from '../sso/sso.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthorizeController } from './authorize.controller.js';
import { AuthorizeService } from './authorize.service.js';
import { BrowserCookies } from './browser-cookies.js';
import { ClientOrigins } from './client-cors.js';
import { InteractionController } from './interaction.controller.js';
import { InteractionRepository } from './interaction.repository.js';
import { InteractionsPruner } from './interactions.pruner.js';
import { InteractionsService } from './interactions.service.js';
import { LogoutController } from './logout.controller.js';
import { LogoutService } from './logout.service.js';
import { PageRenderer } from './page-renderer.js';

/**
 * Browser sign-in (docs/oidc.md): the authorization endpoint, the interactions behind the
 * hosted pages (sign-in, consent, logout confirmation) and RP-initiated logout; the pages also answer
 * the errors of these routes (HTML_ERROR_PAGES, used by the one error filter).
 */
@Module({
  imports: [ClientsModule, CodesModule, ConsentModule, OAuthModule, SsoModule, ThrottlingModule, TokensModule, UsersModule],
  controllers: [AuthorizeController, InteractionController, LogoutController],
  providers: [
    AuthorizeService,
    BrowserCookies,
    ClientOrigins,
    InteractionRepository,
    InteractionsService,
    InteractionsPruner,
    LogoutService,
    PageRenderer,
    { provide: HTML_ERROR_PAGES, useExisting: PageRenderer },
  ],
  exports: [HTML_ERROR_PAGES],
})
export class AuthorizeModule {}
