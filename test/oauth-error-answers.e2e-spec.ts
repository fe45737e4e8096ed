import { BadRequestException, Controller, Get } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HttpExceptionFilter } from '../apps/auth-service/src/http/http-exception.filter.js';
import { invalidClient, OAuthError } from '../apps/auth-service/src/oauth/oauth.error.js';
import { FaultyRoutes } from './support/faulty-routes.js';
import { CollectingLogger } from './support/verifier-app.js';

@Controller('oauth/faults')
class FaultyOAuthController extends FaultyRoutes {
  @Get('grant')
  grant(): never {
    throw new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked; log in again');
  }

  @Get('basic')
  basic(): never {
    throw invalidClient(true);
  }

  @Get('field')
  field(): never {
    throw new BadRequestException(['colour: property colour should not exist']);
  }
}

/** Every answer of the /oauth/* routes is RFC 6749 5.2's `{error, error_description}`, never cached. */
describe("the OAuth routes' error answers", () => {
  const logger = new CollectingLogger();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [FaultyOAuthController],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  const get = (path: string) => request(app.getHttpServer()).get(`/oauth/faults/${path}`);

  it.each([
    ['grant', 400, 'invalid_grant', 'the refresh token is invalid, expired or revoked; log in again', undefined],
    ['password', 400, 'invalid_grant', 'Invalid username or password', undefined],
    ['refresh', 400, 'invalid_grant', 'The refresh token is invalid, expired or revoked; log in again', undefined],
    ['no-route', 404, 'invalid_request', 'Cannot GET /oauth/faults/no-route', undefined],
    ['basic', 401, 'invalid_client', 'client authentication failed', undefined],
    ['field', 400, 'invalid_request', 'colour: property colour should not exist', undefined],
    ['locked', 429, 'temporarily_unavailable', 'Too many attempts; retry after the number of seconds in Retry-After', '3'],
    ['database', 503, 'temporarily_unavailable', 'The user store is unavailable; retry later', '5'],
    ['no-key', 503, 'temporarily_unavailable', 'No signing key is active; retry later', '5'],
    ['crash', 500, 'server_error', 'Internal server error', undefined],
  ])('%s: %i %s', async (path, status, error, description, retryAfter) => {
    const res = await get(path).expect(status);
    expect(res.body).toEqual({ error, error_description: description });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers['retry-after']).toBe(retryAfter);
  });

  it('challenges with Basic only where the client used Basic', async () => {
    expect((await get('basic')).headers['www-authenticate']).toBe('Basic realm="oauth", charset="UTF-8"');
    expect((await get('grant')).headers['www-authenticate']).toBeUndefined();
  });

  it('keeps internals out of the answer and logs the crash at error', async () => {
    const res = await get('crash');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(logger.lines.some((line) => line.startsWith('error ') && line.includes('pool exhausted'))).toBe(true);
  });
});
