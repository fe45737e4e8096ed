/** What replaces a redacted value in a log line. */
export const REDACTED = '[Redacted]';

/** Secret-bearing keys: credentials, tokens and private key material (JWK private members included). */
const SECRET_KEYS = [
  'password',
  'refresh_token',
  'access_token',
  'token',
  'authorization',
  'cookie',
  'privateKey',
  'private_key',
  'pem',
  'secret',
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
];

/**
 * pino `redact` paths: the request/response headers that carry credentials, and every secret key at
 * the top of a log object and one or two levels down (`{ body: { password } }`, `{ user: { jwk: { d } } }`).
 * Message strings are not parsed: code never interpolates a secret into a message.
 */
export const REDACTED_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];
