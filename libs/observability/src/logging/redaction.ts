/** What replaces a redacted value in a log line. */
export const REDACTED = '[Redacted]';

/** Credentials, tokens and key material, wherever an object that holds them is logged. */
const SECRET_KEYS = [
  'password',
  'refresh_token',
  'access_token',
  'token',
  'authorization',
  'cookie',
  'set-cookie',
  'privateKey',
  'private_key',
  'pem',
  'secret',
  'code_verifier',
  'csrf_token',
  'id_token',
  'id_token_hint',
];

/** Browser sign-in's authorization code, by the name it has in a token request body (`err.code` stays: it is an error code). */
const BODY_SECRET_KEYS = ['code'];

/**
 * Objects that carry secrets when someone logs them: bodies, headers, errors, users. Not `req` and
 * `res`: their serializers (logger-options.ts) write method, path, peer and status only, so no header
 * of theirs can reach a line, and without paths under them the access line of every request skips
 * redaction altogether (docs/performance.md "The operations layer").
 */
const CONTAINERS = ['', 'body.', 'headers.', 'user.', 'err.'];

/** The private members of a JWK, where a key is logged as `jwk` or `key`. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'privateKey', 'pem'];

/**
 * pino `redact` paths. Explicit paths, not `*.password` wildcards: explicit paths are checked only
 * on lines that have their top-level key, while wildcards walk every key of every line (with
 * wildcards the request log cost three times as much per line). The request and response serializers
 * never write headers or bodies in the first place; these paths catch secrets in objects logged on
 * purpose.
 * Message strings are not parsed: code never interpolates a secret into a message.
 */
export const REDACTED_PATHS: string[] = [
  ...CONTAINERS.flatMap((container) => SECRET_KEYS.map((key) => `${container}${key}`)),
  ...BODY_SECRET_KEYS.map((key) => `body.${key}`),
  ...['jwk.', 'key.'].flatMap((container) => PRIVATE_JWK_MEMBERS.map((member) => `${container}${member}`)),
];
