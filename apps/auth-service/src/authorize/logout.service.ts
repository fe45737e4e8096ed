import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientsService } from '../clients/clients.service.js';
import { SsoSessionsService } from '../sso/sso-sessions.service.js';
import { IdTokenService } from '../tokens/id-token.service.js';
import { authorizationResponse } from './authorize-response.js';
import { AuthorizeService } from './authorize.service.js';
import { BrowserCookies } from './browser-cookies.js';
import { type Interaction, InteractionsService } from './interactions.service.js';
import { formTargetOf, PageRenderer } from './page-renderer.js';

/** The parameters of OpenID RP-Initiated Logout 1.0 §2, each a single string or absent. */
export interface LogoutParams {
  id_token_hint?: string;
  post_logout_redirect_uri?: string;
  state?: string;
  client_id?: string;
}

/**
 * OpenID RP-Initiated Logout 1.0 (docs/oidc.md "Logout"): with an ID token of ours (any
 * age) naming this browser's SSO session, for the `client_id` sent (if any), and a
 * `post_logout_redirect_uri` registered for that client, the session ends at once and the browser
 * goes back with `state`. Anything less is asked first on the confirmation page, and only a
 * registered URI is ever redirected to.
 */
@Injectable()
export class LogoutService {
  constructor(
    private readonly authorization: AuthorizeService,
    private readonly sso: SsoSessionsService,
    private readonly clients: ClientsService,
    private readonly idTokens: IdTokenService,
    private readonly interactions: InteractionsService,
    private readonly cookies: BrowserCookies,
    private readonly pages: PageRenderer,
  ) {}

  async logout(params: LogoutParams, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.header('cache-control', 'no-store');
    const current = await this.authorization.signedIn(this.cookies.ssoSecret(request));
    const hint = params.id_token_hint ? await this.idTokens.readHint(params.id_token_hint) : undefined;
    const audience = typeof hint?.aud === 'string' ? hint.aud : undefined;
    const clientId = params.client_id ?? audience;
    const redirect = await this.registeredRedirect(clientId, params.post_logout_redirect_uri);
    const hintForClient = audience !== undefined && (params.client_id === undefined || params.client_id === audience);
    // Already signed out here: back to a registered URI the hint vouches for, else the signed-out page.
    if (!current) return this.signedOut(reply, hintForClient ? redirect : undefined, params.state);
    const hintFits = hintForClient && hint?.sid === current.session.id;
    if (hintFits && (redirect !== undefined || params.post_logout_redirect_uri === undefined)) {
      await this.end(current.session.id, reply);
      return this.signedOut(reply, redirect, params.state);
    }
    const browser = this.cookies.ensureBrowserSecret(request, reply);
    const { id } = await this.interactions.start(
      { kind: 'logout', ssoSessionId: current.session.id, postLogoutRedirectUri: redirect, state: params.state },
      browser,
      {
        userId: current.user.id,
        ssoSessionId: current.session.id,
      },
    );
    reply.redirect(this.pages.path(`oauth/interaction/${id}`), 303);
  }

  /** The confirmation page ("Sign out"). */
  async confirmationPage(interaction: Interaction, csrfToken: string, action: string, reply: FastifyReply): Promise<void> {
    const purpose = interaction.purpose as Extract<Interaction['purpose'], { kind: 'logout' }>;
    const current = await this.sso.findLive(purpose.ssoSessionId);
    if (!current) return this.signedOut(reply, purpose.postLogoutRedirectUri, purpose.state);
    const targets = purpose.postLogoutRedirectUri ? [formTargetOf(purpose.postLogoutRedirectUri)] : [];
    const page = this.pages.render('logout', { title: 'Sign out?', action, csrfToken }, targets);
    reply.headers(page.headers).type('text/html; charset=utf-8').code(200).send(page.html);
  }

  /** The user pressed "Sign out". */
  async confirmed(interaction: Interaction, reply: FastifyReply): Promise<void> {
    const purpose = interaction.purpose as Extract<Interaction['purpose'], { kind: 'logout' }>;
    await this.interactions.finish(interaction.id);
    await this.end(purpose.ssoSessionId, reply);
    return this.signedOut(reply, purpose.postLogoutRedirectUri, purpose.state);
  }

  private async end(ssoSessionId: string, reply: FastifyReply): Promise<void> {
    await this.sso.end(ssoSessionId);
    this.cookies.clearSso(reply);
  }

  /** `uri` when it is registered for `clientId`, exactly; else undefined. */
  private async registeredRedirect(clientId: string | undefined, uri: string | undefined): Promise<string | undefined> {
    if (!clientId || !uri) return undefined;
    const client = await this.clients.find(clientId);
    return client && !client.disabled && client.postLogoutRedirectUris.includes(uri) ? uri : undefined;
  }

  private signedOut(reply: FastifyReply, redirect: string | undefined, state: string | undefined): void {
    if (redirect) return void reply.redirect(authorizationResponse(redirect, { state }), 303);
    const page = this.pages.render('signed-out', { title: 'Signed out' });
    reply.headers(page.headers).type('text/html; charset=utf-8').code(200).send(page.html);
  }
}
