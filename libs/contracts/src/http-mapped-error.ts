import type { ErrorCode, IssuerErrorCode } from './errors.js';

/** The level an error is logged at when it is answered; unknown errors are always logged at error. */
export type MappedErrorLogLevel = 'debug' | 'warn';

/**
 * A domain error that knows its HTTP meaning, so that no filter needs to know the error's module:
 * libraries and features throw it, `describeError` turns it into an answer (docs/architecture.md,
 * "Errors"). `clientMessage` is what the client may read; `message` (= `reason`) is the precise
 * cause, for logs only.
 */
export abstract class HttpMappedError extends Error {
  abstract readonly status: number;
  /** Stable, documented code (`ERR_…`): the `code` of the answer body. */
  abstract readonly code: ErrorCode | IssuerErrorCode;
  /** RFC 6749 section 5.2 `error` value, for route families that answer in OAuth's shape. */
  readonly oauthError?: string;
  /** The `error` of the `ErrorResponse` body when it is not the status' reason phrase. */
  readonly title?: string;
  /** Written as `Retry-After` (whole seconds). */
  readonly retryAfterSeconds?: number;
  /** Written as `WWW-Authenticate` (the Basic challenge of a failed client authentication). */
  readonly challenge?: string;
  /** Further headers every answer shape sends (the `DPoP-Nonce` of RFC 9449's `use_dpop_nonce`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Expected refusals are logged at debug; faults of a dependency (a 503 the operator must see) at warn. */
  readonly logLevel: MappedErrorLogLevel = 'debug';
  readonly clientMessage: string;
  readonly reason: string;

  protected constructor(clientMessage: string, reason: string = clientMessage, options?: ErrorOptions) {
    super(reason, options);
    this.name = new.target.name;
    this.clientMessage = clientMessage;
    this.reason = reason;
  }
}
