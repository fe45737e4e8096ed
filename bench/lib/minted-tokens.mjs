// Tokens made by the benchmark itself, before the load, for the cold-path rows: copies of a real
// access token (same header, so the real `kid`; same claims) that differ in `jti`, so every one is
// a token the resource-service has never seen. Fresh ones are signed with the auth-service's own
// key file; forged ones carry random bytes of the right length as their signature.
import { randomBytes, randomUUID, sign } from 'node:crypto';
import { parameters } from './crypto-rate.mjs';

const decode = (segment) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The header and claims of `token`, re-timed to now (same lifetime), and its signature length. */
function template(token) {
  const [header, payload, signature] = token.split('.');
  const claims = decode(payload);
  const now = Math.floor(Date.now() / 1000);
  const lifetime = claims.exp - claims.iat;
  return {
    header,
    claims: { ...claims, iat: now, nbf: now, exp: now + lifetime },
    signatureBytes: Buffer.from(signature, 'base64url').length,
  };
}

/** `count` unique access tokens, signed with `privateKey` under `algorithm`: valid, never seen before. */
export function freshTokens(realToken, algorithm, privateKey, count) {
  const { header, claims } = template(realToken);
  const signer = parameters(algorithm, privateKey);
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    const input = `${header}.${encode({ ...claims, jti: randomUUID() })}`;
    tokens.push(`${input}.${sign(signer.digest, Buffer.from(input), signer.key).toString('base64url')}`);
  }
  return tokens;
}

/**
 * `count` unique forged tokens: the real header (real `kid`) and claims, random signature bytes.
 * `randomKid`: each names a `kid` of its own instead, one no key set has (the unknown-kid path).
 */
export function forgedTokens(realToken, count, { randomKid = false } = {}) {
  const { header, claims, signatureBytes } = template(realToken);
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    const head = randomKid ? encode({ ...decode(header), kid: randomBytes(32).toString('base64url') }) : header;
    tokens.push(`${head}.${encode({ ...claims, jti: randomUUID() })}.${randomBytes(signatureBytes).toString('base64url')}`);
  }
  return tokens;
}
