import { ACCESS_TOKEN_TYPE, JWS_SIGNATURE_SCHEMES, type JwsAlgorithm } from '@app/contracts';
import { KeyObject, sign, type SignKeyObjectInput } from 'node:crypto';
import type { SigningKey } from './key-material.js';

/** Signs one JWT payload into a compact JWS (`header.payload.signature`). */
export type CompactSigner = (payload: object) => Promise<string>;

/** One signer per key and `typ`: a key's header and private KeyObject never change, so they are built once. */
const signers = new WeakMap<SigningKey, Map<string, CompactSigner>>();

/**
 * Access tokens (`typ: at+jwt`) and ID tokens (`typ: JWT`) signed with node:crypto instead of jose's `SignJWT` (docs/performance.md "Issuing
 * tokens"). The protected header `{ alg, kid, typ: 'at+jwt' }` is base64url-encoded once per key; per
 * token only the payload is serialized, and `crypto.sign` signs it on the libuv pool (its callback
 * form): the private-key operation, most of a token's cost, runs beside the event loop instead of on
 * it, without WebCrypto's key and promise machinery. The output is jose's for the same header and
 * payload (byte for byte where the algorithm is deterministic: RS*, EdDSA/Ed25519; PS* and ES*
 * signatures are randomized): `jws-signer.spec.ts`.
 */
export function signerFor(key: SigningKey, typ: string = ACCESS_TOKEN_TYPE): CompactSigner {
  let byType = signers.get(key);
  if (!byType) {
    byType = new Map();
    signers.set(key, byType);
  }
  let signer = byType.get(typ);
  if (!signer) {
    signer = compactSigner(key.alg, key.kid, key.privateKey, typ);
    byType.set(typ, signer);
  }
  return signer;
}

function compactSigner(alg: JwsAlgorithm, kid: string, privateKey: SigningKey['privateKey'], typ: string): CompactSigner {
  const scheme = JWS_SIGNATURE_SCHEMES[alg];
  // Managed keys are non-extractable CryptoKeys; KeyObject.from gives node:crypto a handle on the same key without exporting it.
  const key = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  const input: SignKeyObjectInput = { key, ...scheme.options };
  const header = Buffer.from(JSON.stringify({ alg, kid, typ })).toString('base64url');
  return (payload) => {
    const signingInput = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return new Promise((resolve, reject) => {
      sign(scheme.digest, Buffer.from(signingInput, 'latin1'), input, (error, signature) =>
        error ? reject(error) : resolve(`${signingInput}.${signature.toString('base64url')}`),
      );
    });
  };
}
