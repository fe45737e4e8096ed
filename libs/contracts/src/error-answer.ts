import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { ErrorCode, type ErrorResponse, IssuerErrorCode } from './errors.js';
import { HttpMappedError } from './http-mapped-error.js';

type Code = ErrorCode | IssuerErrorCode;

/**
 * What any thrown value means for the client, before a route family chooses its body shape:
 * `errorResponseBody` gives the `ErrorResponse` of both services; a family with its own shape (RFC
 * 6749's `{ error, error_description }`) renders `status`, `oauthError` and `message` its own way.
 */
export interface ErrorDescription {
  status: number;
  code: Code;
  /** The status' reason phrase, or the `error` (title) the exception carries. */
  error: string;
  message: string | string[];
  /** RFC 6749 section 5.2 `error`, when the error carries one. */
  oauthError?: string;
  /** Headers every shape sends (`Retry-After`, `WWW-Authenticate`). */
  headers: Record<string, string>;
  /** What the filter logs: expected answers at debug, dependency faults at warn, ours at error. */
  log: { level: 'debug' | 'warn' | 'error'; line: string; stack?: string };
}

export interface ErrorMappingOptions {
  /** The code of a Nest exception thrown without one, by status, over the shared defaults. */
  codeOfStatus?: Readonly<Record<number, Code>>;
}

const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), ...Object.values(IssuerErrorCode)]);

const CODE_OF_STATUS: Readonly<Record<number, Code>> = {
  400: ErrorCode.Validation,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
  429: IssuerErrorCode.TooManyRequests,
  503: ErrorCode.ServiceUnavailable,
};

/** Maps any thrown value to its answer, in one place; internals of unknown errors never leave. */
export function describeError(exception: unknown, options: ErrorMappingOptions = {}): ErrorDescription {
  if (exception instanceof HttpMappedError) return mappedError(exception);
  if (exception instanceof HttpException) return httpException(exception, options);
  return {
    status: 500,
    code: ErrorCode.Internal,
    error: reasonPhrase(500),
    message: 'Internal server error',
    headers: {},
    log: {
      level: 'error',
      line: `500 answered for ${exception instanceof Error ? exception.name : typeof exception}`,
      stack: exception instanceof Error ? exception.stack : undefined,
    },
  };
}

/** The `ErrorResponse` body both services answer with. */
export function errorResponseBody(description: ErrorDescription): ErrorResponse {
  return { statusCode: description.status, error: description.error, code: description.code, message: description.message };
}

function mappedError(error: HttpMappedError): ErrorDescription {
  const headers: Record<string, string> = { ...error.headers };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.challenge !== undefined) headers['www-authenticate'] = error.challenge;
  return {
    status: error.status,
    code: error.code,
    error: error.title ?? reasonPhrase(error.status),
    message: error.clientMessage,
    oauthError: error.oauthError,
    headers,
    log: { level: error.logLevel, line: `${error.status} ${error.code}: ${error.reason}` },
  };
}

/** Nest's own exceptions (validation, 404 of unknown routes, 413) keep their status and message. */
function httpException(exception: HttpException, options: ErrorMappingOptions): ErrorDescription {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const fields = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const message = isMessage(fields.message) ? fields.message : typeof response === 'string' ? response : exception.message;
  const code = typeof fields.code === 'string' && KNOWN_CODES.has(fields.code) ? (fields.code as Code) : codeFor(status, options);
  const log: ErrorDescription['log'] =
    status < 500
      ? { level: 'debug', line: `${status} ${code}: ${exception.message}` }
      : { level: 'error', line: `${status} answered for ${exception.name}`, stack: exception.stack };
  return { status, code, error: typeof fields.error === 'string' ? fields.error : reasonPhrase(status), message, headers: {}, log };
}

function codeFor(status: number, options: ErrorMappingOptions): Code {
  return options.codeOfStatus?.[status] ?? CODE_OF_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.Validation);
}

function isMessage(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
