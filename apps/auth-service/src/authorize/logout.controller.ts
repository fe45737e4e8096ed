import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageResponses } from './page-responses.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type LogoutParams, LogoutService } from './logout.service.js';

const NAMES = ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id'] as const;

/** Only single string values of the known names, each bounded; anything else is dropped. */
function paramsOf(input: unknown): LogoutParams {
  const params: LogoutParams = {};
  if (!input || typeof input !== 'object') return params;
  for (const name of NAMES) {
    const value = (input as Record<string, unknown>)[name];
    if (typeof value === 'string' && value !== '' && value.length <= 8192) params[name] = value;
  }
  return params;
}

/** The `end_session_endpoint`: `GET` and `POST /oauth/logout` (OpenID RP-Initiated Logout 1.0). */
@ApiTags('browser sign-in')
@Controller('oauth/logout')
export class LogoutController {
  constructor(private readonly logout: LogoutService) {}

  @Get()
  @ApiOperation({ summary: 'OpenID RP-Initiated Logout (end_session_endpoint)' })
  @PageResponses()
  viaGet(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.logout.logout(paramsOf(query), request, reply);
  }

  @Post()
  @ApiOperation({ summary: 'The same as GET, as a form' })
  @PageResponses()
  viaPost(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.logout.logout(paramsOf(body), request, reply);
  }
}
