import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageResponses } from './page-responses.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizeParams } from './authorization-request.js';
import { AuthorizeService, type Next } from './authorize.service.js';
import { BrowserCookies } from './browser-cookies.js';
import { InteractionsService } from './interactions.service.js';
import { PageRenderer, STYLESHEET_ROUTE } from './page-renderer.js';

/** The query string of a form body: string values only (a repeated name keeps its repeats). */
function queryOf(body: unknown): string {
  const query = new URLSearchParams();
  if (body && typeof body === 'object') {
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      for (const one of Array.isArray(value) ? value : [value]) if (typeof one === 'string') query.append(name, one);
    }
  }
  return query.toString();
}

/** Only string values (a repeated name as an array): anything else a query parser might build is dropped. */
function paramsOf(query: unknown): AuthorizeParams {
  const params: AuthorizeParams = {};
  if (!query || typeof query !== 'object') return params;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (typeof value === 'string') params[name] = value;
    else if (Array.isArray(value)) params[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return params;
}

/**
 * `GET /oauth/authorize` (RFC 6749 4.1.1, OpenID Connect Core 3.1.2): the checks, then a 303 back to
 * the client or to our sign-in or consent page. `POST` answers a 303 to the `GET` with the same
 * parameters, so that the SSO cookie (SameSite=Lax) is sent.
 */
@ApiTags('browser sign-in')
@Controller()
export class AuthorizeController {
  constructor(
    private readonly authorization: AuthorizeService,
    private readonly interactions: InteractionsService,
    private readonly cookies: BrowserCookies,
    private readonly pages: PageRenderer,
  ) {}

  @Get('oauth/authorize')
  @PageResponses()
  @ApiOperation({
    summary:
      'Authorization endpoint (code flow with PKCE S256): 303 to the client, or to the sign-in or consent page; errors as an HTML page until client and redirect URI are known good',
  })
  async authorize(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = await this.authorization.authorize(paramsOf(query), this.cookies.ssoSecret(request));
    await this.follow(next, request, reply);
  }

  @Post('oauth/authorize')
  @ApiOperation({ summary: 'The same request as a form: 303 to the GET' })
  @PageResponses()
  repost(@Body() body: unknown, @Res() reply: FastifyReply): void {
    reply.header('cache-control', 'no-store').redirect(`${this.pages.path('oauth/authorize')}?${queryOf(body)}`, 303);
  }

  /** The one stylesheet of the pages. */
  @Get(STYLESHEET_ROUTE)
  @ApiOperation({ summary: 'The stylesheet of the hosted pages' })
  @ApiOkResponse({ description: 'text/css, cacheable for an hour' })
  stylesheet(@Res() reply: FastifyReply): void {
    reply
      .header('cache-control', 'public, max-age=3600')
      .header('content-security-policy', "default-src 'none'")
      .type('text/css; charset=utf-8')
      .send(this.pages.stylesheet);
  }

  /** Sends the browser where `next` says: back to the client, or to a new interaction's page. */
  private async follow(next: Next, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.header('cache-control', 'no-store');
    if (next.kind === 'redirect') return void reply.redirect(next.location, 303);
    const browser = this.cookies.ensureBrowserSecret(request, reply);
    const signedIn = next.kind === 'consent' ? { userId: next.who.user.id, ssoSessionId: next.who.session.id } : undefined;
    const { id } = await this.interactions.start({ kind: 'authorize', request: next.request }, browser, signedIn);
    reply.redirect(this.pages.path(`oauth/interaction/${id}`), 303);
  }
}
