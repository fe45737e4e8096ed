import { HttpMappedError, IssuerErrorCode } from '@app/contracts';

/** 429 with `Retry-After` (whole seconds, at least 1). */
export class TooManyRequestsException extends HttpMappedError {
  readonly status = 429;
  readonly code = IssuerErrorCode.TooManyRequests;
  override readonly retryAfterSeconds: number;

  constructor(retryAfterMs: number, message = 'Too many attempts; retry after the number of seconds in Retry-After') {
    super(message, `locked for another ${retryAfterMs} ms`);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
