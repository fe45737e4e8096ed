import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode, type ErrorResponse } from '@app/contracts';
import { InsufficientScopeError, JwtAuthError } from '../jwt-auth.errors.js';

export interface ErrorAnswer {
  body: ErrorResponse;
  headers: Record<string, string>;
  /** False for answers that mean a fault on our side (5xx), which are logged at error. */
  expected: boolean;
}

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TokenMissing]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TokenInvalid]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TokenExpired]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.InsufficientScope]: HttpStatus.FORBIDDEN,
  [ErrorCode.JwksUnreachable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.ServiceUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** Codes for Nest exceptions thrown without one (contracts have no generic Forbidden or Conflict code). */
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.Validation,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.TokenInvalid,
  [HttpStatus.FORBIDDEN]: ErrorCode.InsufficientScope,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.ServiceUnavailable,
};

/** Maps any thrown value to the answer the client gets; internals of unknown errors never leave. */
export function errorAnswer(exception: unknown): ErrorAnswer {
  if (exception instanceof JwtAuthError) return jwtAuthAnswer(exception);
  if (exception instanceof HttpException) return httpExceptionAnswer(exception);
  return {
    body: body(HttpStatus.INTERNAL_SERVER_ERROR, ErrorCode.Internal, 'Internal server error'),
    headers: {},
    expected: false,
  };
}

function jwtAuthAnswer(error: JwtAuthError): ErrorAnswer {
  const status = STATUS_OF[error.code];
  return { body: body(status, error.code, error.message), headers: challengeFor(error), expected: true };
}

/** RFC 6750 section 3: the `WWW-Authenticate` challenge of each refusal. */
function challengeFor(error: JwtAuthError): Record<string, string> {
  switch (error.code) {
    case ErrorCode.TokenMissing:
      return { 'WWW-Authenticate': 'Bearer' };
    case ErrorCode.TokenInvalid:
    case ErrorCode.TokenExpired:
      return { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${error.message}"` };
    case ErrorCode.InsufficientScope: {
      const scope = (error as InsufficientScopeError).requiredScopes.join(' ').replace(/["\\]/g, '');
      return { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` };
    }
    default:
      return {};
  }
}

/** Nest's own exceptions keep their status and message, in the `ErrorResponse` shape. */
function httpExceptionAnswer(exception: HttpException): ErrorAnswer {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const fields = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const message = isMessage(fields.message) ? fields.message : typeof response === 'string' ? response : exception.message;
  const code = typeof fields.code === 'string' && ERROR_CODES.has(fields.code) ? (fields.code as ErrorCode) : codeFor(status);
  const error = typeof fields.error === 'string' ? fields.error : (STATUS_CODES[status] ?? 'Error');
  const headers: Record<string, string> = status === HttpStatus.UNAUTHORIZED ? { 'WWW-Authenticate': 'Bearer' } : {};
  return { body: { statusCode: status, error, code, message }, headers, expected: status < 500 };
}

function codeFor(status: number): ErrorCode {
  return CODE_OF_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.Validation);
}

function isMessage(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function body(status: number, code: ErrorCode, message: string): ErrorResponse {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message };
}
