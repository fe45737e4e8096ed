import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { verificationOutcomeOf } from '../metrics/verification-outcome.js';
import { verifyJwsSignature } from './jws-signature.js';

const INPUT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The outcome `verifyJwsSignature` ends in: accepted, or the metric outcome of its refusal. */
function outcome(alg: JwsAlgorithm, key: KeyObject, signature: string, input = INPUT): string {
  try {
    verifyJwsSignature(alg, key, input, signature);
    return 'accepted';
  } catch (error: unknown) {
    return verificationOutcomeOf(error);
  }
}

describe('verifyJwsSignature (node:crypto)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const ed = generateKeyPairSync('ed25519');
  const data = Buffer.from(INPUT);
  const pss = (saltLength: number) => sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });

  it.each<[JwsAlgorithm, () => Buffer, KeyObject]>([
    ['RS256', () => sign('sha256', data, rsa.privateKey), rsa.publicKey],
    ['RS512', () => sign('sha512', data, rsa.privateKey), rsa.publicKey],
    ['PS256', () => pss(32), rsa.publicKey],
    ['ES256', () => sign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }), p256.publicKey],
    ['ES512', () => sign('sha512', data, { key: p521.privateKey, dsaEncoding: 'ieee-p1363' }), p521.publicKey],
    ['EdDSA', () => sign(null, data, ed.privateKey), ed.publicKey],
    ['Ed25519', () => sign(null, data, ed.privateKey), ed.publicKey],
  ])('accepts a real %s signature and refuses it over other bytes', (alg, signature, key) => {
    const encoded = b64(signature());
    expect(outcome(alg, key, encoded)).toBe('accepted');
    expect(outcome(alg, key, encoded, `${INPUT}x`)).toBe('invalid_signature');
  });

  it('refuses the psychic signature (r = s = 0) and r = s = n for ES256', () => {
    const n = Buffer.from('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551', 'hex');
    expect(outcome('ES256', p256.publicKey, b64(new Uint8Array(64)))).toBe('invalid_signature');
    expect(outcome('ES256', p256.publicKey, b64(Buffer.concat([n, n])))).toBe('invalid_signature');
  });

  it('refuses an ES256 signature in DER or of any length but 64 bytes', () => {
    const der = sign('sha256', data, { key: p256.privateKey, dsaEncoding: 'der' });
    const raw = sign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(outcome('ES256', p256.publicKey, b64(der))).toBe('invalid_signature');
    expect(outcome('ES256', p256.publicKey, b64(Buffer.concat([raw, Buffer.alloc(1)])))).toBe('invalid_signature');
    expect(outcome('ES256', p256.publicKey, b64(raw.subarray(1)))).toBe('invalid_signature');
  });

  it('refuses an RSA signature one byte short or long of the modulus', () => {
    const signature = sign('sha256', data, rsa.privateKey);
    expect(outcome('RS256', rsa.publicKey, b64(signature.subarray(1)))).toBe('invalid_signature');
    expect(outcome('RS256', rsa.publicKey, b64(Buffer.concat([Buffer.alloc(1), signature])))).toBe('invalid_signature');
  });

  it('pins the PSS salt to the hash length: salt 0 or 20 does not verify PS256', () => {
    expect(outcome('PS256', rsa.publicKey, b64(pss(0)))).toBe('invalid_signature');
    expect(outcome('PS256', rsa.publicKey, b64(pss(20)))).toBe('invalid_signature');
  });

  it('does not verify an RS256 signature as PS256, nor the reverse', () => {
    expect(outcome('PS256', rsa.publicKey, b64(sign('sha256', data, rsa.privateKey)))).toBe('invalid_signature');
    expect(outcome('RS256', rsa.publicKey, b64(pss(32)))).toBe('invalid_signature');
  });

  it('refuses a signature segment that is not canonical base64url as malformed', () => {
    const encoded = b64(sign(null, data, ed.privateKey)); // 64 bytes: 86 characters, 4 unused bits
    const last = encoded.charCodeAt(encoded.length - 1);
    const withTrailingBits = `${encoded.slice(0, -1)}${String.fromCharCode(last + 1)}`;
    expect(outcome('EdDSA', ed.publicKey, withTrailingBits)).toBe('malformed');
    expect(outcome('EdDSA', ed.publicKey, `${encoded}AAA`)).toBe('malformed'); // 89 characters (4n+1): no whole byte
    expect(outcome('EdDSA', ed.publicKey, `${encoded.slice(0, -2)}AAAA`)).toBe('invalid_signature'); // 66 bytes
  });
});
