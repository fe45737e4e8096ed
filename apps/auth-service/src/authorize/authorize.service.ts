import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Client } from '../clients/client.entity.js';
import { ClientsService } from '../clients/clients.service.js';
import { AuthorizationCodesService } from '../codes/authorization-codes.service.js';
import { tokensConfig } from '../config/tokens.config.js';
import { ConsentService } from '../consent/consent.service.js';
import type { SsoSession } from '../sso/sso-session.repository.js';
import { SsoSessionsService } from '../sso/sso-sessions.service.js';
import { CLOCK, type Clock } from '../time/clock.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { AuthorizationRequest, AuthorizeParams } from './authorization-request.js';
import { AuthorizeRedirectError } from './authorize-errors.js';
import { validateAuthorizationRequest } from './authorize-pipeline.js';
import { authorizationResponse } from './authorize-response.js';
import { grantedScope } from '../consent/granted-scope.js';
import { PageError } from './authorize-errors.js';

/** A signed-in user and the SSO session they are signed in with. */
export interface SignedInUser {
  user: User;
  session: SsoSession;
}

/** Where the flow goes next: back to the client, or to a page of ours (an interaction to start). */
export type Next =
  | { kind: 'redirect'; location: string }
  | { kind: 'sign-in'; request: AuthorizationRequest; client: Client }
  | { kind: 'consent'; request: AuthorizationRequest; client: Client; who: SignedInUser };

/**
 * The authorization endpoint's decisions after the checks (docs/oidc.md): sign-in when
 * there is no live SSO session, or `prompt=login`, or `max_age` has passed; consent unless the client
 * is first-party or already allowed the scopes (a public client that is not first-party: every time);
 * `prompt=none` instead redirects `login_required`/`consent_required`; else a code.
 */
@Injectable()
export class AuthorizeService {
  private readonly issuer: string;
  private readonly defaultAudiences: readonly string[];

  constructor(
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly sso: SsoSessionsService,
    private readonly consent: ConsentService,
    private readonly codes: AuthorizationCodesService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.issuer = tokens.issuer;
    this.defaultAudiences = tokens.audiences;
  }

  /** A new authorization request from the browser, with the SSO cookie it carries. */
  async authorize(params: AuthorizeParams, ssoSecret: string | undefined): Promise<Next> {
    const validated = await validateAuthorizationRequest(params, this.clients, this.defaultAudiences);
    if (validated.kind === 'refused') return this.refuse(validated.redirectUri, validated.state, validated.error);
    return this.decide(validated.request, validated.client, await this.signedIn(ssoSecret), { fresh: false });
  }

  /** The user of a live SSO cookie, if the account is still active. */
  async signedIn(ssoSecret: string | undefined): Promise<SignedInUser | undefined> {
    const session = await this.sso.fromCookie(ssoSecret);
    const user = session && (await this.users.findActive(session.userId));
    return session && user ? { user, session } : undefined;
  }

  /** The client of a stored request, still enabled and still allowed the redirect URI; else the error page. */
  async clientOf(request: AuthorizationRequest): Promise<Client> {
    const client = await this.clients.find(request.clientId);
    if (!client || client.disabled || !client.grantTypes.includes('authorization_code'))
      throw new PageError('The app that sent you here is no longer available.');
    return client;
  }

  /**
   * What comes next for a request. `fresh.fresh`: the user has just signed in on our page (so no
   * sign-in again); `consented`: the user has just allowed it.
   */
  async decide(request: AuthorizationRequest, client: Client, who: SignedInUser | undefined, fresh: { fresh: boolean; consented?: boolean }): Promise<Next> {
    const silent = request.prompt.includes('none');
    if (!who || (!fresh.fresh && this.mustSignIn(request, who.session))) {
      return silent
        ? this.refuse(request.redirectUri, request.state, new AuthorizeRedirectError('login_required', 'the user must sign in'))
        : { kind: 'sign-in', request, client };
    }
    const scope = grantedScope(request.scope, who.user);
    if (!fresh.consented && (await this.mustConsent(request, client, who.user, scope))) {
      return silent
        ? this.refuse(request.redirectUri, request.state, new AuthorizeRedirectError('consent_required', 'the user must allow this app'))
        : { kind: 'consent', request, client, who };
    }
    const code = await this.codes.issue({
      clientId: client.id,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      dpopJkt: request.dpopJkt,
      nonce: request.nonce,
      scope,
      audience: request.audience,
      userId: who.user.id,
      ssoSessionId: who.session.id,
      authTime: who.session.authTime,
    });
    return { kind: 'redirect', location: authorizationResponse(request.redirectUri, { code, state: request.state, iss: this.issuer }) };
  }

  /** The redirect of a refusal once the redirect URI is known good (RFC 6749 4.1.2.1, RFC 9207 `iss`). */
  refuse(redirectUri: string, state: string | undefined, error: AuthorizeRedirectError): { kind: 'redirect'; location: string } {
    return {
      kind: 'redirect',
      location: authorizationResponse(redirectUri, { error: error.error, error_description: error.description, state, iss: this.issuer }),
    };
  }

  private mustSignIn(request: AuthorizationRequest, session: SsoSession): boolean {
    if (request.prompt.includes('login')) return true;
    return request.maxAge !== undefined && this.clock.now() - session.authTime > request.maxAge * 1000;
  }

  private async mustConsent(request: AuthorizationRequest, client: Client, user: User, scope: readonly string[]): Promise<boolean> {
    if (client.firstParty) return false;
    if (client.public || request.prompt.includes('consent')) return true;
    return !(await this.consent.covers(user.id, client.id, scope));
  }
}
