import { JwksDocumentDto } from '@app/contracts';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConfigType } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import { jwksConfig } from '../config/jwks-route.config.js';
import { keysConfig } from '../config/keys.config.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';
import { etagMatches } from '../http/etag.js';

/**
 * The public half of the key store, cacheable. Its route is `JWKS_PATH`: the controller has no path
 * of its own, `JwksModule` mounts it with `RouterModule` (so the OpenAPI document shows that path).
 */
@ApiTags('keys')
@Controller()
export class JwksController {
  private readonly headers: Array<[string, string]>;
  /** The answer's headers for the key set of one ETag: built once per key change, not per request. */
  private answer: { etag: string; headers: Record<string, string> } = { etag: '', headers: {} };

  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(keysConfig.KEY) keysSettings: ConfigType<typeof keysConfig>,
    @Inject(jwksConfig.KEY) route: ConfigType<typeof jwksConfig>,
  ) {
    const cacheControl = `public, max-age=${keysSettings.jwksMaxAgeSeconds}`;
    // JWKS_HEADERS come last, so a configured Cache-Control replaces the default one.
    this.headers = [['cache-control', cacheControl], ...route.headers];
  }

  @Get()
  @ApiOperation({ summary: 'The public keys verifiers accept (JWKS)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer' })
  @ApiOkResponse({ type: JwksDocumentDto, description: 'Cacheable: Cache-Control max-age and ETag' })
  @ApiNotModifiedResponse({ description: 'The key set has not changed since the ETag given' })
  jwks(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const { body, etag } = this.keys.jwks();
    if (this.answer.etag !== etag) this.answer = { etag, headers: Object.fromEntries([...this.headers, ['etag', etag]]) };
    reply.headers(this.answer.headers);
    if (etagMatches(ifNoneMatch, etag)) {
      reply.code(304).send();
      return;
    }
    reply.code(200).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
