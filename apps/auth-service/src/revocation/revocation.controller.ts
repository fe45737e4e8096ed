import { ErrorCode } from '@app/contracts';
import { ApiErrorResponses } from '@app/observability';
import { BadRequestException, Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { tokensConfig } from '../config/tokens.config.js';
import { etagMatches } from '../http/etag.js';
import { feedBody, type FeedBody, feedEtag, parseCursor } from './revocation-feed.js';
import { RevocationService } from './revocation.service.js';

/** The path the feed is served at, for the metadata document. */
export const REVOCATION_FEED_PATH = 'oauth/revocations';

/**
 * `GET /oauth/revocations[?since=<cursor>]`: the revocation feed verifiers poll (docs/revocation.md).
 * Public: it lists only session, token and client ids. A poll whose `If-None-Match` names the latest
 * cursor is a 304 without reading the entries (the latest cursor itself is memoized for 250 ms); a
 * full read of an unchanged feed is answered from the bytes built for its cursor.
 */
@ApiTags('oauth')
@Controller()
export class RevocationController {
  private readonly issuer: string;

  constructor(
    private readonly revocations: RevocationService,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.issuer = tokens.issuer;
  }

  @Get(REVOCATION_FEED_PATH)
  @ApiOperation({ summary: 'The revocation feed: revoked sessions (sid), tokens (jti) and clients (client_id) whose tokens may still be live' })
  @ApiQuery({ name: 'since', required: false, description: 'The cursor of an earlier answer: only newer entries' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of an earlier answer' })
  @ApiOkResponse({ description: '`{issuer, cursor, full, entries: [{type, value, revoked_at, expires_at}]}`; ETag' })
  @ApiNotModifiedResponse({ description: 'Nothing new since the ETag given' })
  @ApiErrorResponses(400, 503)
  async feed(
    @Query('since') since: unknown,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FeedBody | Buffer | undefined> {
    const cursor = parseCursor(since);
    if (cursor === null) {
      throw new BadRequestException({ error: 'Bad Request', code: ErrorCode.Validation, message: ['since must be a cursor from an earlier answer (digits)'] });
    }
    const latest = await this.revocations.latest();
    const etag = feedEtag(latest);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (etagMatches(ifNoneMatch, etag) && (cursor === undefined || cursor === latest)) {
      reply.code(304);
      return undefined;
    }
    if (cursor === undefined || cursor > latest) {
      // The full answer: the same bytes for every reader of this cursor, serialized once.
      reply.header('content-type', 'application/json; charset=utf-8');
      return this.revocations.fullDocument(latest);
    }
    return feedBody(this.issuer, await this.revocations.page(cursor, latest));
  }
}
