import { BadRequestException, ForbiddenException, HttpException, ServiceUnavailableException } from '@nestjs/common';
import { describeError, errorResponseBody } from './error-answer.js';
import { ErrorCode, IssuerErrorCode } from './errors.js';
import { HttpMappedError } from './http-mapped-error.js';

class StoreDownError extends HttpMappedError {
  readonly status = 503;
  readonly code = ErrorCode.ServiceUnavailable;
  override readonly retryAfterSeconds = 5;
  override readonly logLevel = 'warn';
  override readonly oauthError = 'temporarily_unavailable';

  constructor() {
    super('The store is unavailable; retry later', 'store down: connect ECONNREFUSED 10.0.0.5:5432');
  }
}

class LockedError extends HttpMappedError {
  readonly status = 429;
  readonly code = IssuerErrorCode.TooManyRequests;

  constructor() {
    super('Too many attempts');
  }
}

describe('describeError', () => {
  it('answers a mapped error with its status, code, client message and Retry-After', () => {
    const answer = describeError(new StoreDownError());

    expect(errorResponseBody(answer)).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: ErrorCode.ServiceUnavailable,
      message: 'The store is unavailable; retry later',
    });
    expect(answer.headers).toEqual({ 'retry-after': '5' });
    expect(answer.oauthError).toBe('temporarily_unavailable');
    expect(answer.log).toEqual({ level: 'warn', line: '503 ERR_SERVICE_UNAVAILABLE: store down: connect ECONNREFUSED 10.0.0.5:5432' });
  });

  it('never sends the reason of a mapped error, and logs an expected refusal at debug', () => {
    const error = new StoreDownError();
    const answer = describeError(error);

    expect(JSON.stringify(errorResponseBody(answer))).not.toContain('ECONNREFUSED');
    expect(error.message).toContain('ECONNREFUSED');
    expect(describeError(new LockedError()).log.level).toBe('debug');
    expect(describeError(new LockedError()).headers).toEqual({});
  });

  it('turns an unknown error into a plain 500 without its message, logged at error with its stack', () => {
    const error = new Error('connection string postgres://admin:secret@db');
    const answer = describeError(error);

    expect(errorResponseBody(answer)).toEqual({ statusCode: 500, error: 'Internal Server Error', code: ErrorCode.Internal, message: 'Internal server error' });
    expect(answer.headers).toEqual({});
    expect(answer.log).toEqual({ level: 'error', line: '500 answered for Error', stack: error.stack });
  });

  it('turns a thrown non-error into a plain 500', () => {
    expect(describeError('oops')).toMatchObject({ status: 500, log: { level: 'error', line: '500 answered for string' } });
  });

  it('passes a Nest HttpException through in the ErrorResponse shape', () => {
    const answer = describeError(new BadRequestException(['name must be a string']));

    expect(errorResponseBody(answer)).toEqual({ statusCode: 400, error: 'Bad Request', code: ErrorCode.Validation, message: ['name must be a string'] });
    expect(answer.log.level).toBe('debug');
  });

  it('keeps a known code an HttpException carries, and logs a 5xx HttpException at error', () => {
    const answer = describeError(new HttpException({ message: 'down', code: IssuerErrorCode.UsernameTaken }, 503));

    expect(errorResponseBody(answer)).toEqual({ statusCode: 503, error: 'Service Unavailable', code: IssuerErrorCode.UsernameTaken, message: 'down' });
    expect(answer.log).toMatchObject({ level: 'error', line: '503 answered for HttpException' });
  });

  it('replaces an unknown code with the one of the status', () => {
    expect(describeError(new HttpException({ message: 'x', code: 'ERR_MADE_UP' }, 400)).code).toBe(ErrorCode.Validation);
    expect(describeError(new ServiceUnavailableException()).code).toBe(ErrorCode.ServiceUnavailable);
    expect(describeError(new HttpException('teapot', 418)).code).toBe(ErrorCode.Validation);
    expect(describeError(new HttpException('bad gateway', 502)).code).toBe(ErrorCode.Internal);
  });

  it('lets a service choose the code of a bare status', () => {
    const options = { codeOfStatus: { 403: ErrorCode.InsufficientScope } };

    expect(describeError(new ForbiddenException(), options).code).toBe(ErrorCode.InsufficientScope);
    expect(describeError(new ForbiddenException()).code).toBe(ErrorCode.Validation);
  });
});
