import { BadRequestException, Controller, Get, UnauthorizedException } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HttpExceptionFilter } from '../apps/auth-service/src/http/http-exception.filter.js';
import { UsernameTakenError } from '../apps/auth-service/src/users/users.service.js';
import { FaultyRoutes } from './support/faulty-routes.js';
import { CollectingLogger } from './support/verifier-app.js';

@Controller('faults')
class FaultyController extends FaultyRoutes {
  @Get('bare-401')
  bare401(): never {
    throw new UnauthorizedException();
  }

  @Get('taken')
  taken(): never {
    throw new UsernameTakenError('alice');
  }

  @Get('bad-request')
  badRequest(): never {
    throw new BadRequestException(['limit must be a positive integer']);
  }
}

/** The auth-service's error answers, exactly: status, body, Retry-After, Cache-Control, no challenge. */
describe("the auth-service's HttpExceptionFilter", () => {
  const logger = new CollectingLogger();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [FaultyController],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it.each([
    [
      'database',
      503,
      { statusCode: 503, error: 'Service Unavailable', code: 'ERR_SERVICE_UNAVAILABLE', message: 'The user store is unavailable; retry later' },
      '5',
    ],
    ['no-key', 503, { statusCode: 503, error: 'Service Unavailable', code: 'ERR_SERVICE_UNAVAILABLE', message: 'No signing key is active; retry later' }, '5'],
    [
      'locked',
      429,
      {
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'ERR_TOO_MANY_REQUESTS',
        message: 'Too many attempts; retry after the number of seconds in Retry-After',
      },
      '3',
    ],
    ['password', 401, { statusCode: 401, error: 'Unauthorized', code: 'ERR_INVALID_CREDENTIALS', message: 'Invalid username or password' }, undefined],
    [
      'refresh',
      400,
      { statusCode: 400, error: 'invalid_grant', code: 'ERR_INVALID_GRANT', message: 'The refresh token is invalid, expired or revoked; log in again' },
      undefined,
    ],
    ['taken', 409, { statusCode: 409, error: 'Conflict', code: 'ERR_USERNAME_TAKEN', message: 'username is taken' }, undefined],
    ['bare-401', 401, { statusCode: 401, error: 'Unauthorized', code: 'ERR_INVALID_CREDENTIALS', message: 'Unauthorized' }, undefined],
    ['bad-request', 400, { statusCode: 400, error: 'Bad Request', code: 'ERR_VALIDATION', message: ['limit must be a positive integer'] }, undefined],
    ['crash', 500, { statusCode: 500, error: 'Internal Server Error', code: 'ERR_INTERNAL', message: 'Internal server error' }, undefined],
  ])('answers /faults/%s with %d, its body and Retry-After, never cached', async (path, status, body, retryAfter) => {
    const response = await request(app.getHttpServer()).get(`/faults/${path}`);

    expect(response.status).toBe(status);
    expect(response.body).toEqual(body);
    expect(response.headers['retry-after']).toBe(retryAfter);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.text).not.toMatch(/ECONNREFUSED|hunter2/);
  });

  it('logs a dependency fault at warn with its cause, and an unknown error at error', async () => {
    await request(app.getHttpServer()).get('/faults/database');
    await request(app.getHttpServer()).get('/faults/crash');

    expect(logger.lines.some((line) => line.startsWith('warn ') && line.includes('database unavailable: connect ECONNREFUSED 10.0.0.5:5432'))).toBe(true);
    expect(logger.lines.some((line) => line.startsWith('error ') && line.includes('pool exhausted'))).toBe(true);
  });
});
