/** What replaces a redacted value in a log line. */
export const REDACTED = '[Redacted]';

/** Credentials, tokens and key material, wherever an object that holds them is logged. */
const SECRET_KEYS = ['password', 'refresh_token', 'access_token', 'token', 'authorization', 'cookie', 'privateKey', 'private_key', 'pem', 'secret'];

/** Objects that carry secrets when someone logs them: bodies, headers, errors, users. */
const CONTAINERS = ['', 'body.', 'headers.', 'req.headers.', 'user.', 'err.'];

/** The private members of a JWK, where a key is logged as `jwk` or `key`. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'privateKey', 'pem'];

/**
 * pino `redact` paths. Explicit paths, not `*.password` wildcards: fast-redact compiles explicit
 * paths into a few property checks, while wildcards walk every key of every line (with wildcards
 * the request log cost three times as much per line; these ~75 paths add a few microseconds). The request and response serializers never write
 * headers or bodies in the first place; these paths catch secrets in objects logged on purpose.
 * Message strings are not parsed: code never interpolates a secret into a message.
 */
export const REDACTED_PATHS: string[] = [
  ...CONTAINERS.flatMap((container) => SECRET_KEYS.map((key) => `${container}${key}`)),
  'res.headers["set-cookie"]',
  ...['jwk.', 'key.'].flatMap((container) => PRIVATE_JWK_MEMBERS.map((member) => `${container}${member}`)),
];
