// The machine's limit for one algorithm: node:crypto sign and verify on one core, with imported
// KeyObjects (no PEM parsing per operation), over a signing input the size of a real access token.
import { constants, createPublicKey, randomUUID, sign, verify } from 'node:crypto';

const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/** node:crypto's digest and key options for a JWS algorithm (sign and verify alike). */
export function parameters(algorithm, key) {
  if (algorithm === 'EdDSA' || algorithm === 'Ed25519') return { digest: null, key: { key } };
  const digest = HASH[algorithm.slice(2)];
  if (algorithm.startsWith('ES')) return { digest, key: { key, dsaEncoding: 'ieee-p1363' } };
  if (algorithm.startsWith('PS')) {
    return { digest, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } };
  }
  return { digest, key: { key } };
}

function signingInput(algorithm) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: algorithm, kid: 'x'.repeat(43), typ: 'at+jwt' };
  const claims = {
    iss: 'http://127.0.0.1:3000',
    sub: randomUUID(),
    aud: 'resource-service',
    iat: now,
    nbf: now,
    exp: now + 900,
    jti: randomUUID(),
    username: 'bench',
    scope: 'profile resource:read',
  };
  return Buffer.from(`${b64(header)}.${b64(claims)}`);
}

/** Operations per second of `operation` over about `seconds` (checked every 16 operations). */
function rate(operation, seconds) {
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 16; i += 1) operation();
    count += 16;
  }
  return count / ((performance.now() - started) / 1000);
}

/** { signPerSecond, verifyPerSecond } of `algorithm` with `privateKey` (a KeyObject). */
export function cryptoRates(algorithm, privateKey, seconds) {
  const data = signingInput(algorithm);
  const signer = parameters(algorithm, privateKey);
  const verifier = parameters(algorithm, createPublicKey(privateKey));
  const signature = sign(signer.digest, data, signer.key);
  if (!verify(verifier.digest, data, verifier.key, signature)) throw new Error(`${algorithm}: self-check of sign/verify failed`);
  rate(() => sign(signer.digest, data, signer.key), Math.min(0.1, seconds)); // warm-up
  return {
    signPerSecond: rate(() => sign(signer.digest, data, signer.key), seconds),
    verifyPerSecond: rate(() => verify(verifier.digest, data, verifier.key, signature), seconds),
  };
}
