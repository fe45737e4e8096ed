import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageResponses } from './page-responses.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsentService } from '../consent/consent.service.js';
import { grantedScope } from '../consent/granted-scope.js';
import { TooManyRequestsException } from '../http/too-many-requests.exception.js';
import { InvalidCredentialsError } from '../oauth/grant-errors.js';
import { TokenGrantsService } from '../oauth/token-grants.service.js';
import { SsoSessionsService } from '../sso/sso-sessions.service.js';
import { ClientAddressResolver } from '../throttling/client-address.js';
import { UsersService } from '../users/users.service.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { AuthorizeRedirectError, PageError } from './authorize-errors.js';
import { AuthorizeService, type SignedInUser } from './authorize.service.js';
import { BrowserCookies } from './browser-cookies.js';
import { type Interaction, InteractionsService } from './interactions.service.js';
import { LogoutService } from './logout.service.js';
import { formTargetOf, PageRenderer } from './page-renderer.js';
import { describeScopes } from './scope-descriptions.js';

type Form = Record<string, unknown>;
const text = (form: Form, name: string): string | undefined => (typeof form[name] === 'string' ? form[name] : undefined);

/**
 * The pages of an interaction, `/oauth/interaction/:id`: GET shows the sign-in, consent or logout
 * confirmation page; POST takes its form, only from the browser that started the interaction and with
 * the form's `csrf_token` (else a 403 page and nothing changes).
 */
@ApiTags('browser sign-in')
@Controller('oauth/interaction')
export class InteractionController {
  constructor(
    private readonly interactions: InteractionsService,
    private readonly authorization: AuthorizeService,
    private readonly grants: TokenGrantsService,
    private readonly users: UsersService,
    private readonly sso: SsoSessionsService,
    private readonly consent: ConsentService,
    private readonly logout: LogoutService,
    private readonly cookies: BrowserCookies,
    private readonly addresses: ClientAddressResolver,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'A hosted page of an interaction: sign-in, consent or logout confirmation (HTML)' })
  @PageResponses()
  async show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const interaction = await this.interactions.forBrowser(id, this.cookies.browserSecret(request));
    await this.page(interaction, reply, 200);
  }

  @Post(':id')
  @ApiOperation({ summary: 'The form of a hosted page (csrf_token required; 403 page without it)' })
  @PageResponses()
  async submit(@Param('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form: Form = body && typeof body === 'object' ? (body as Form) : {};
    const interaction = await this.interactions.forForm(id, this.cookies.browserSecret(request), form.csrf_token);
    reply.header('cache-control', 'no-store');
    if (interaction.purpose.kind === 'logout') return this.logout.confirmed(interaction, reply);
    if (!interaction.userId) return this.signIn(interaction, interaction.purpose.request, form, request, reply);
    return this.decide(interaction, interaction.purpose.request, text(form, 'decision'), reply);
  }

  /** The page of an interaction's current step, with a fresh CSRF token. */
  private async page(interaction: Interaction, reply: FastifyReply, status: number, extra: Record<string, unknown> = {}): Promise<void> {
    const csrfToken = await this.interactions.renewCsrf(interaction.id);
    const action = this.pages.path(`oauth/interaction/${interaction.id}`);
    const { purpose } = interaction;
    if (purpose.kind === 'logout') return this.logout.confirmationPage(interaction, csrfToken, action, reply);
    const client = await this.authorization.clientOf(purpose.request);
    const targets = [formTargetOf(purpose.request.redirectUri)];
    let page;
    if (!interaction.userId) {
      page = this.pages.render('sign-in', { title: 'Sign in', client: client.id, action, csrfToken, ...extra }, targets);
    } else {
      const who = await this.signedInUser(interaction);
      const scope = grantedScope(purpose.request.scope, who.user);
      page = this.pages.render(
        'consent',
        { title: `Allow ${client.id}?`, client: client.id, username: who.user.username, scopes: describeScopes(scope), action, csrfToken },
        targets,
      );
    }
    reply.headers(page.headers).type('text/html; charset=utf-8').code(status).send(page.html);
  }

  /**
   * The sign-in form: the same throttled password check as `/auth/login` (same counters, one answer
   * for unknown user and wrong password), then the SSO session (a new secret in the cookie) and the next step.
   */
  private async signIn(interaction: Interaction, authRequest: AuthorizationRequest, form: Form, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const username = text(form, 'username') ?? '';
    const password = text(form, 'password') ?? '';
    const client = await this.authorization.clientOf(authRequest);
    let user;
    try {
      if (!username || !password || username.length > 1024 || password.length > 1024) throw new InvalidCredentialsError();
      user = await this.grants.checkPassword(username, password, this.addresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']));
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return this.page(interaction, reply, 401, { username, error: 'Invalid username or password.' });
      if (error instanceof TooManyRequestsException) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        return this.page(interaction, reply, 429, { username, error: `Too many attempts. Try again in ${error.retryAfterSeconds} seconds.` });
      }
      throw error;
    }
    const current = await this.authorization.signedIn(this.cookies.ssoSecret(request));
    const { session, secret } = await this.sso.signedIn(user.id, current?.session);
    this.cookies.setSso(reply, secret, this.sso.ttlSeconds);
    await this.interactions.signIn(interaction.id, user.id, session.id);
    const next = await this.authorization.decide(authRequest, client, { user, session }, { fresh: true });
    if (next.kind === 'redirect') {
      await this.interactions.finish(interaction.id);
      return void reply.redirect(next.location, 303);
    }
    reply.redirect(this.pages.path(`oauth/interaction/${interaction.id}`), 303);
  }

  /** The consent form: "Allow" remembers the scopes and issues the code; "Deny" redirects `access_denied`. */
  private async decide(interaction: Interaction, authRequest: AuthorizationRequest, decision: string | undefined, reply: FastifyReply): Promise<void> {
    if (decision !== 'allow' && decision !== 'deny') throw new PageError('Choose Allow or Deny.');
    const client = await this.authorization.clientOf(authRequest);
    const who = await this.signedInUser(interaction);
    if (!(await this.interactions.finish(interaction.id))) throw new PageError('This form was already sent.', 403);
    if (decision === 'deny') {
      const denied = this.authorization.refuse(
        authRequest.redirectUri,
        authRequest.state,
        new AuthorizeRedirectError('access_denied', 'the user denied the request'),
      );
      return void reply.redirect(denied.location, 303);
    }
    await this.consent.remember(who.user.id, client.id, grantedScope(authRequest.scope, who.user));
    const next = await this.authorization.decide(authRequest, client, who, { fresh: true, consented: true });
    reply.redirect((next as { location: string }).location, 303);
  }

  /** The user an interaction was signed in with, while both the account and the SSO session are live. */
  private async signedInUser(interaction: Interaction): Promise<SignedInUser> {
    const user = await this.users.findActive(interaction.userId!);
    const session = interaction.ssoSessionId ? await this.sso.findLive(interaction.ssoSessionId) : undefined;
    if (!user || !session) throw new PageError('Your session has ended. Go back to the app and sign in again.', 403);
    return { user, session };
  }
}
