import { BadRequestException, Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ErrorCode } from '@app/contracts';
import { Public } from '@app/jwt-auth';
import { JwksFixture } from './support/jwks-fixture.js';
import { CollectingLogger, startResourceApp } from './support/verifier-app.js';

@Controller('faults')
@Public()
class FaultyController {
  @Get('crash')
  crash(): never {
    throw new Error('pool exhausted at postgres://admin:hunter2@db:5432');
  }

  @Get('bad-request')
  badRequest(): never {
    throw new BadRequestException(['limit must be a positive integer']);
  }
}

describe('JwtAuthExceptionFilter registered with APP_FILTER', () => {
  let jwks: JwksFixture;
  let app: NestFastifyApplication;
  const logger = new CollectingLogger();

  beforeAll(async () => {
    jwks = await JwksFixture.start();
    app = await startResourceApp(jwks, { controllers: [FaultyController], logger });
  });

  afterAll(async () => {
    await app.close();
    await jwks.stop();
  });

  it('answers an unknown error with a plain 500 and logs it at error', async () => {
    const response = await request(app.getHttpServer()).get('/faults/crash');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: ErrorCode.Internal,
      message: 'Internal server error',
    });
    expect(response.text).not.toContain('hunter2');
    expect(logger.lines.some((line) => line.startsWith('error 500'))).toBe(true);
  });

  it('passes a Nest HttpException through in the ErrorResponse shape', async () => {
    const response = await request(app.getHttpServer()).get('/faults/bad-request');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: ErrorCode.Validation,
      message: ['limit must be a positive integer'],
    });
  });
});
