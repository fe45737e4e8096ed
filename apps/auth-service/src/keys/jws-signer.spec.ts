import { ACCESS_TOKEN_TYPE, SUPPORTED_ALGORITHMS, type JwsAlgorithm } from '@app/contracts';
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';
import { signerFor } from './jws-signer.js';
import { generateManagedKey, generatePrivateKey, toSigningKey, type SigningKey } from './key-material.js';

/** RSA PKCS#1 v1.5 and Ed25519 signatures are deterministic: the same input gives the same bytes. */
const DETERMINISTIC = new Set<JwsAlgorithm>(['RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519']);

const payload = {
  username: 'alice',
  sid: 'b6a1c3d0-7f2e-4c59-9a57-3f0c2d1e8b44',
  client_id: 'web',
  scope: 'profile:read admin',
  iss: 'https://id.example.com',
  sub: 'c0ffee00-0000-4000-8000-000000000001',
  aud: ['api', 'other'],
  iat: 1_767_225_600,
  nbf: 1_767_225_600,
  exp: 1_767_226_500,
  jti: '2f3e4d5c-6b7a-4980-8a1b-2c3d4e5f6a7b',
};

/** jose's SignJWT with the header TokenService used to give it: the reference output. */
function joseSign(key: SigningKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE }).sign(key.privateKey);
}

async function verifies(token: string, key: SigningKey): Promise<void> {
  const { payload: verified, protectedHeader } = await jwtVerify(token, await importJWK(key.publicJwk, key.alg), {
    algorithms: [key.alg],
    typ: ACCESS_TOKEN_TYPE,
    currentDate: new Date(payload.iat * 1000),
  });
  expect(protectedHeader).toEqual({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE });
  expect(verified).toEqual(payload);
}

describe.each([
  ['pem (KeyObject)', async (alg: JwsAlgorithm) => toSigningKey(await generatePrivateKey(alg, 2048), alg)],
  ['managed (non-extractable CryptoKey)', async (alg: JwsAlgorithm) => (await generateManagedKey(alg, 2048, false)).signingKey],
])('signerFor, %s keys', (_, makeKey) => {
  it.each(SUPPORTED_ALGORITHMS.map((alg) => [alg]))('%s: jose verifies the token, signed over the signing input jose builds', async (alg) => {
    const key = await makeKey(alg);
    const token = await signerFor(key)(payload);
    await verifies(token, key);
    // PSS salts and ECDSA nonces are random, so only the signing input and the signature's size can match.
    const reference = (await joseSign(key)).split('.');
    expect(token.split('.').slice(0, 2)).toEqual(reference.slice(0, 2));
    expect(token.split('.')[2]).toHaveLength(reference[2].length);
  });

  it.each([...DETERMINISTIC].map((alg) => [alg]))('%s (deterministic): byte for byte the token jose signs', async (alg) => {
    const key = await makeKey(alg);
    expect(await signerFor(key)(payload)).toBe(await joseSign(key));
  });
});

describe('signerFor', () => {
  it('builds one signer per key and puts that key’s kid in the header', async () => {
    const [a, b] = await Promise.all(
      ['EdDSA', 'EdDSA'].map(async (alg) => toSigningKey(await generatePrivateKey(alg as JwsAlgorithm, 2048), alg as JwsAlgorithm)),
    );
    expect(signerFor(a)).toBe(signerFor(a));
    expect(decodeProtectedHeader(await signerFor(a)(payload)).kid).toBe(a.kid);
    expect(decodeProtectedHeader(await signerFor(b)(payload)).kid).toBe(b.kid);
  });
});
