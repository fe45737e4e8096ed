import type { JwsAlgorithm, PublicJwk } from '@app/contracts';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const NODE_CURVES: Record<string, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

/** A private signing key with the facts every consumer needs; built once per key, never per token. */
export interface SigningKey {
  kid: string;
  alg: JwsAlgorithm;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/** Generates a fresh private key fit for `alg`. */
export async function generatePrivateKey(alg: JwsAlgorithm, rsaBits: number): Promise<KeyObject> {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return (await generate('rsa', { modulusLength: rsaBits })).privateKey;
  if (alg.startsWith('ES')) return (await generate('ec', { namedCurve: NODE_CURVES[EC_CURVES[alg]] })).privateKey;
  return (await generate('ed25519')).privateKey;
}

/** Why `key` cannot sign `alg`, or undefined when it can. */
export function keyMismatch(key: KeyObject, alg: JwsAlgorithm): string | undefined {
  const type = key.asymmetricKeyType;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    if (type !== 'rsa') return `${alg} needs an RSA key, the key is ${type}`;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < 2048 ? `${alg} needs an RSA key of at least 2048 bits, the key has ${bits}` : undefined;
  }
  if (alg.startsWith('ES')) {
    if (type !== 'ec') return `${alg} needs an EC key, the key is ${type}`;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === NODE_CURVES[EC_CURVES[alg]] ? undefined : `${alg} needs curve ${EC_CURVES[alg]}, the key is on ${curve}`;
  }
  return type === 'ed25519' ? undefined : `EdDSA needs an Ed25519 key, the key is ${type}`;
}

/** The usual algorithm of a key type, for published keys whose algorithm is not named. */
export function defaultAlgorithm(key: KeyObject): JwsAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return (Object.keys(EC_CURVES) as JwsAlgorithm[]).find((alg) => NODE_CURVES[EC_CURVES[alg]] === curve);
}

/** The public JWK of a key: only public members, `kid` = RFC 7638 SHA-256 thumbprint, bound to `alg`. */
export async function publicJwkOf(key: KeyObject, alg: JwsAlgorithm): Promise<PublicJwk> {
  const jwk = await exportJWK(key.type === 'private' ? createPublicKey(key) : key);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    kty: jwk.kty as PublicJwk['kty'],
    kid,
    alg,
    use: 'sig',
    ...(jwk.n !== undefined && { n: jwk.n, e: jwk.e }),
    ...(jwk.crv !== undefined && { crv: jwk.crv, x: jwk.x }),
    ...(jwk.y !== undefined && { y: jwk.y }),
  };
}

export async function toSigningKey(privateKey: KeyObject, alg: JwsAlgorithm): Promise<SigningKey> {
  const mismatch = keyMismatch(privateKey, alg);
  if (mismatch) throw new Error(mismatch);
  const publicJwk = await publicJwkOf(privateKey, alg);
  return { kid: publicJwk.kid, alg, privateKey, publicJwk };
}
