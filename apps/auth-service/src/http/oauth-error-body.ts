import { ErrorCode, type ErrorDescription } from '@app/contracts';

/** RFC 6749 5.2: a failed check of the resource owner's password is `invalid_grant` (a 401 at `/auth/login`). */
const OAUTH_ERROR_OF_CODE: Readonly<Record<string, string>> = { [ErrorCode.InvalidCredentials]: 'invalid_grant' };

function oauthErrorOfAnswer(answer: ErrorDescription): string | undefined {
  return answer.oauthError ?? OAUTH_ERROR_OF_CODE[answer.code];
}

/**
 * RFC 6749 5.2's status of an answer under `/oauth/`: 400 for every `error` but `invalid_client`
 * (401) and a protected resource's Bearer or DPoP challenges (their own 401 or 403), whatever status the error has elsewhere (a wrong password is 401 at `/auth/login`, 400
 * `invalid_grant` at `/oauth/token`); an answer without an `error` keeps its status.
 */
export function oauthStatus(answer: ErrorDescription): number {
  const error = oauthErrorOfAnswer(answer);
  if (error === undefined || RESOURCE_CHALLENGE.test(answer.headers['www-authenticate'] ?? '')) return answer.status;
  return error === 'invalid_client' ? 401 : 400;
}

/** A protected resource's refusal (userinfo: RFC 6750 3.1, RFC 9449 7.1) keeps its own status (400, 401, 403). */
const RESOURCE_CHALLENGE = /^(Bearer|DPoP) /;

/** The `error` of an answer that carries none: by its status. */
function oauthErrorOf(status: number): string {
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** RFC 6749 5.2's body `{error, error_description}` of any error answer. */
export function oauthErrorBody(answer: ErrorDescription): { error: string; error_description: string } {
  const message = Array.isArray(answer.message) ? answer.message.join('; ') : answer.message;
  return { error: oauthErrorOfAnswer(answer) ?? oauthErrorOf(answer.status), error_description: message };
}
