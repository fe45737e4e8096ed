// DPoP for the load (docs/dpop.md, docs/performance.md "DPoP"): a client key, a token bound to it by
// the running auth-service, and requests each carrying a fresh proof signed by the load generator.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { parameters } from './crypto-rate.mjs';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A client's DPoP key: ES256 (P-256) or EdDSA (Ed25519), and a signer of proofs by it. */
export function dpopKey(alg) {
  const { privateKey, publicKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const { kid: _kid, ...jwk } = publicKey.export({ format: 'jwk' });
  const header = b64({ typ: 'dpop+jwt', alg, jwk });
  const signer = parameters(alg, privateKey);
  return {
    /** A proof for one request; `accessToken` sets `ath`. */
    proof(htm, htu, { accessToken, nonce } = {}) {
      const claims = { jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) };
      if (accessToken) claims.ath = createHash('sha256').update(accessToken).digest('base64url');
      if (nonce) claims.nonce = nonce;
      const input = `${header}.${b64(claims)}`;
      return `${input}.${sign(signer.digest, Buffer.from(input), signer.key).toString('base64url')}`;
    },
  };
}

/** A client-credentials token bound to `key`, from the auth-service (its nonce first: `use_dpop_nonce`). */
export async function dpopBoundToken(authUrl, issuer, { client_id: id, client_secret: secret }, key) {
  const htu = `${issuer.replace(/\/+$/, '')}/oauth/token`;
  const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
  const ask = (proof) =>
    fetch(`${authUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, dpop: proof },
      body: 'grant_type=client_credentials',
    });
  let response = await ask(key.proof('POST', htu));
  const nonce = response.headers.get('dpop-nonce');
  if (response.status === 400 && nonce) response = await ask(key.proof('POST', htu, { nonce }));
  const body = await response.json();
  if (response.status !== 200 || body.token_type !== 'DPoP')
    throw new Error(`DPoP token request answered ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.access_token;
}

/**
 * `Authorization: DPoP <token>` on every request, each with a new proof (its own `jti`), signed by
 * the load generator as the request is sent: that signing competes with the server for the machine,
 * so compare the server's CPU per request (serverCpuUs) more than the rates.
 */
export function dpopRequests(baseUrl, path, token, key) {
  const htu = `${baseUrl}${path}`;
  return {
    options: () => ({
      url: baseUrl,
      requests: [
        {
          method: 'GET',
          path,
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, authorization: `DPoP ${token}`, dpop: key.proof('GET', htu, { accessToken: token }) },
          }),
        },
      ],
    }),
  };
}
