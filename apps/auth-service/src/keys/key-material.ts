import type { JwsAlgorithm, PublicJwk } from '@app/contracts';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { createPublicKey, generateKeyPair, KeyObject, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
const { subtle } = webcrypto;
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const NODE_CURVES: Record<string, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

/** `EdDSA` (RFC 8037) and `Ed25519` (RFC 9864): two labels of one signature over an Ed25519 key. */
function isEd25519Algorithm(alg: JwsAlgorithm): boolean {
  return alg === 'EdDSA' || alg === 'Ed25519';
}

/**
 * A private signing key with the facts every consumer needs; built once per key, never per token.
 * `pem` keys are KeyObjects read from files; `managed` keys are non-extractable WebCrypto keys.
 */
export interface SigningKey {
  kid: string;
  alg: JwsAlgorithm;
  privateKey: KeyObject | CryptoKey;
  publicJwk: PublicJwk;
}

/** WebCrypto parameters of each JWS algorithm (RFC 7518 section 3, RFC 8037). */
export function webCryptoAlgorithm(alg: JwsAlgorithm, rsaBits = 2048): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | webcrypto.Algorithm {
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5', hash, modulusLength: rsaBits, publicExponent: new Uint8Array([1, 0, 1]) };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', hash, modulusLength: rsaBits, publicExponent: new Uint8Array([1, 0, 1]) };
  if (alg.startsWith('ES')) return { name: 'ECDSA', namedCurve: EC_CURVES[alg] };
  if (isEd25519Algorithm(alg)) return { name: 'Ed25519' };
  throw new Error(`no WebCrypto parameters for ${alg}`);
}

/** A freshly generated managed key: the signing half is non-extractable; `pkcs8` exists only when asked for. */
export interface GeneratedKey {
  signingKey: SigningKey;
  /** The private key in PKCS#8 DER, for encrypted storage; undefined unless `exportable` was asked. */
  pkcs8?: Uint8Array;
}

/**
 * Generates a key pair for `alg`. The private key that signs is a non-extractable CryptoKey; when the
 * key must be stored (the shared, encrypted mode) its PKCS#8 bytes are exported once, before the
 * exportable copy is dropped.
 */
export async function generateManagedKey(alg: JwsAlgorithm, rsaBits: number, exportable: boolean): Promise<GeneratedKey> {
  const params = webCryptoAlgorithm(alg, rsaBits);
  const pair = (await subtle.generateKey(params, exportable, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const publicJwk = await publicJwkOf(KeyObject.from(pair.publicKey), alg);
  if (!exportable) return { signingKey: { kid: publicJwk.kid, alg, privateKey: pair.privateKey, publicJwk } };
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  return { signingKey: await importManagedKey(pkcs8, publicJwk), pkcs8 };
}

/** Imports a stored PKCS#8 private key as a non-extractable CryptoKey bound to the JWK's algorithm. */
export async function importManagedKey(pkcs8: Uint8Array, publicJwk: PublicJwk): Promise<SigningKey> {
  const privateKey = await subtle.importKey('pkcs8', pkcs8, webCryptoAlgorithm(publicJwk.alg), false, ['sign']);
  return { kid: publicJwk.kid, alg: publicJwk.alg, privateKey, publicJwk };
}

/** Generates a fresh private key fit for `alg`. */
export async function generatePrivateKey(alg: JwsAlgorithm, rsaBits: number): Promise<KeyObject> {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return (await generate('rsa', { modulusLength: rsaBits })).privateKey;
  if (alg.startsWith('ES')) return (await generate('ec', { namedCurve: NODE_CURVES[EC_CURVES[alg]] })).privateKey;
  if (isEd25519Algorithm(alg)) return (await generate('ed25519')).privateKey;
  throw new Error(`cannot generate a key for ${alg}`);
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
  if (isEd25519Algorithm(alg)) return type === 'ed25519' ? undefined : `${alg} needs an Ed25519 key, the key is ${type}`;
  return `${alg} is not supported`;
}

/**
 * The usual algorithm of a key type, for published keys whose algorithm is not named: Ed25519 keys
 * get `EdDSA`, the label every EdDSA-capable verifier understands (`Ed25519` only when named).
 */
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
