import { BadRequestException, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { InsufficientScopeError, JwksUnreachableError, TokenExpiredError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';
import { errorAnswer } from './error-answer.js';

describe('errorAnswer', () => {
  it.each([
    [new TokenMissingError(), 401, 'Bearer'],
    [new TokenInvalidError('bad signature'), 401, 'Bearer error="invalid_token", error_description="The access token is invalid"'],
    [new TokenExpiredError(), 401, 'Bearer error="invalid_token", error_description="The access token has expired"'],
    [new InsufficientScopeError(['a:read', 'b:write']), 403, 'Bearer error="insufficient_scope", scope="a:read b:write"'],
    [new JwksUnreachableError('ECONNREFUSED'), 503, undefined],
  ])('maps %p to %d with its challenge', (error, status, challenge) => {
    const answer = errorAnswer(error);

    expect(answer.body).toMatchObject({ statusCode: status, code: error.code, message: error.message });
    expect(answer.headers['WWW-Authenticate']).toBe(challenge);
  });

  it('never sends the reason of a refusal', () => {
    const answer = errorAnswer(new TokenInvalidError('kid "k1" is not in the key set'));

    expect(JSON.stringify(answer)).not.toContain('k1');
  });

  it('turns an unknown error into a plain 500 without its message', () => {
    const answer = errorAnswer(new Error('connection string postgres://admin:secret@db'));

    expect(answer).toEqual({
      body: { statusCode: 500, error: 'Internal Server Error', code: ErrorCode.Internal, message: 'Internal server error' },
      headers: {},
      expected: false,
    });
  });

  it('turns a thrown non-error into a plain 500', () => {
    expect(errorAnswer('oops').body.statusCode).toBe(500);
  });

  it('passes a Nest HttpException through in the ErrorResponse shape', () => {
    const answer = errorAnswer(new BadRequestException(['name must be a string']));

    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: ErrorCode.Validation,
      message: ['name must be a string'],
    });
    expect(answer.expected).toBe(true);
  });

  it('keeps a known code an HttpException carries', () => {
    const answer = errorAnswer(new HttpException({ message: 'down', code: ErrorCode.ServiceUnavailable }, 503));

    expect(answer.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: ErrorCode.ServiceUnavailable,
      message: 'down',
    });
    expect(answer.expected).toBe(false);
  });

  it('adds the Bearer challenge to any other 401 and codes a bare 403', () => {
    expect(errorAnswer(new UnauthorizedException()).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(errorAnswer(new ForbiddenException()).body.code).toBe(ErrorCode.InsufficientScope);
  });
});
