import { IssuerErrorCode } from '@app/contracts';
import { HttpException } from '@nestjs/common';

/** 429 with `Retry-After` (whole seconds, at least 1), which the error filter writes. */
export class TooManyRequestsException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number, message = 'Too many attempts; retry after the number of seconds in Retry-After') {
    super({ error: 'Too Many Requests', code: IssuerErrorCode.TooManyRequests, message }, 429);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
