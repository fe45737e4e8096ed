import { randomUUID, sign } from 'node:crypto';
import type { JWK } from 'jose';
import { JWS_SIGNATURE_SCHEMES, type JwsAlgorithm } from '@app/contracts';
import { jwkThumbprint, thumbprintInput } from '../dpop/dpop-key.js';
import { accessTokenHash } from '../dpop/proof-rules.js';
import { createTestKey } from '../testing/jwks-fixture.js';

export interface TestProofOptions {
  /** The access token the proof comes with (sets `ath`). */
  accessToken?: string;
  /** The server's nonce (`DPoP-Nonce`). */
  nonce?: string;
  /** Claims to set or override (`iat`, `jti`, `htm`…); `undefined` leaves one out. */
  claims?: Record<string, unknown>;
  /** Header parameters to set or override (`typ`, `alg`, `jwk`…); `undefined` leaves one out. */
  header?: Record<string, unknown>;
}

/** A client's DPoP key pair (RFC 9449) for a consumer's tests. */
export interface TestDpopKey {
  readonly algorithm: JwsAlgorithm;
  /** The public JWK every proof carries. */
  readonly jwk: JWK;
  /** Its RFC 7638 thumbprint: a token bound to this key has `cnf: { jkt }` (`kit.sign({}, { dpop: key })`). */
  readonly jkt: string;
  /** A proof for one request: `proof('GET', 'http://127.0.0.1:3001/resource/protected', { accessToken })`. */
  proof(htm: string, htu: string, options?: TestProofOptions): Promise<string>;
}

/** A fresh DPoP key (default ES256), to sign proofs and bind test tokens with. */
export async function createTestDpopKey(algorithm: JwsAlgorithm = 'ES256'): Promise<TestDpopKey> {
  const key = await createTestKey(algorithm);
  const { kid: _kid, use: _use, alg: _alg, ...jwk } = key.publicJwk;
  const jkt = jwkThumbprint(thumbprintInput(jwk));
  return {
    algorithm,
    jwk,
    jkt,
    proof: (htm, htu, options = {}) => {
      const claims = withoutUndefined({
        jti: randomUUID(),
        htm,
        htu,
        iat: Math.floor(Date.now() / 1000),
        ...(options.accessToken === undefined ? {} : { ath: accessTokenHash(options.accessToken) }),
        ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
        ...options.claims,
      });
      // Signed with node:crypto under the key's own algorithm whatever the header says, so a test can forge any header.
      const header = withoutUndefined({ typ: 'dpop+jwt', alg: algorithm, jwk, ...options.header });
      const signingInput = `${segment(header)}.${segment(claims)}`;
      const scheme = JWS_SIGNATURE_SCHEMES[algorithm];
      const signature = sign(scheme.digest, Buffer.from(signingInput), { key: key.privateKey, ...scheme.options });
      return Promise.resolve(`${signingInput}.${signature.toString('base64url')}`);
    },
  };
}

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
