import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { SUPPORTED_ALGORITHMS } from '@app/contracts';
import { createTestDpopKey, type TestDpopKey } from '../testing/test-dpop-key.js';
import { HmacDpopNonces } from './dpop-nonces.js';
import { DpopProofVerifier, type DpopProofInput } from './dpop-proof-verifier.js';
import { MemoryDpopReplayStore } from './dpop-replay-store.js';
import { InvalidDpopProofError, UseDpopNonceError } from './dpop.errors.js';
import { accessTokenHash } from './proof-rules.js';

const HTU = 'https://api.example.com/resource/protected';
const TOKEN = 'aaa.bbb.ccc';
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

function verifier(options: { nonces?: HmacDpopNonces; clock?: () => number } = {}): DpopProofVerifier {
  const clock = options.clock ?? (() => NOW_MS);
  return new DpopProofVerifier({
    algorithms: SUPPORTED_ALGORITHMS,
    proofWindowSeconds: 60,
    clockToleranceSeconds: 30,
    replayStore: new MemoryDpopReplayStore(1000, clock),
    nonces: options.nonces,
    clock,
  });
}

async function refusal(promise: Promise<unknown>): Promise<InvalidDpopProofError | UseDpopNonceError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof InvalidDpopProofError || error instanceof UseDpopNonceError)) throw new Error(`expected a DPoP refusal, got ${String(error)}`);
  return error;
}

describe('DpopProofVerifier (RFC 9449 §4.3, one rule per case)', () => {
  let key: TestDpopKey;
  let other: TestDpopKey;
  const input = (header: unknown, extra: Partial<DpopProofInput> = {}): DpopProofInput => ({ header, method: 'GET', url: HTU, ...extra });
  const proof = (options: Parameters<TestDpopKey['proof']>[2] = {}) => key.proof('GET', HTU, { claims: { iat: NOW, ...options.claims }, ...options });

  beforeAll(async () => {
    key = await createTestDpopKey('ES256');
    other = await createTestDpopKey('ES256');
  });

  it('accepts a good proof and gives its key thumbprint, jti and iat', async () => {
    const checked = await verifier().verify(input(await proof({ accessToken: TOKEN }), { accessToken: TOKEN, boundJkt: key.jkt }));
    expect(checked).toEqual({ jkt: key.jkt, jti: expect.any(String), iat: NOW });
  });

  it.each(['ES384', 'ES512', 'EdDSA', 'Ed25519', 'RS256', 'PS256'] as const)('accepts a %s proof', async (alg) => {
    const k = await createTestDpopKey(alg);
    await expect(verifier().verify(input(await k.proof('GET', HTU, { claims: { iat: NOW } })))).resolves.toMatchObject({ jkt: k.jkt });
  });

  it('is no proof when there is no header; require() refuses that', async () => {
    await expect(verifier().verify(input(undefined))).resolves.toBeUndefined();
    expect((await refusal(verifier().require(input(undefined), 'no DPoP header'))).clientMessage).toMatch(/no DPoP header/);
  });

  it('refuses two DPoP headers (joined by node, or an array)', async () => {
    const one = await proof();
    expect((await refusal(verifier().verify(input(`${one}, ${await proof()}`)))).clientMessage).toMatch(/exactly one DPoP header/);
    expect((await refusal(verifier().verify(input([one, one])))).clientMessage).toMatch(/exactly one DPoP header/);
  });

  it('refuses what is not a compact JWS, or too long', async () => {
    expect((await refusal(verifier().verify(input('not-a-jws')))).clientMessage).toMatch(/not a compact JWS/);
    expect((await refusal(verifier().verify(input(`a.${'b'.repeat(9000)}.c`)))).clientMessage).toMatch(/not a compact JWS/);
  });

  it.each([['at+jwt'], ['JWT'], [undefined]])('refuses typ %j', async (typ) => {
    expect((await refusal(verifier().verify(input(await proof({ header: { typ } }))))).clientMessage).toMatch(/"typ" must be dpop\+jwt/);
  });

  it('accepts typ in another case or with application/', async () => {
    await expect(verifier().verify(input(await proof({ header: { typ: 'application/DPoP+JWT' } })))).resolves.toBeDefined();
  });

  it('refuses a symmetric alg (HS256) and none', async () => {
    const hs = await new SignJWT({ jti: 'x', htm: 'GET', htu: HTU, iat: NOW })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } as never })
      .sign(new TextEncoder().encode('secret'));
    expect((await refusal(verifier().verify(input(hs)))).clientMessage).toMatch(/"alg" must be one of/);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: key.jwk })).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`;
    expect((await refusal(verifier().verify(input(none)))).clientMessage).toMatch(/"alg" must be one of/);
  });

  it('refuses a jwk with private members', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privateJwk = privateKey.export({ format: 'jwk' });
    const signed = await new SignJWT({ jti: 'x', htm: 'GET', htu: HTU, iat: NOW })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
      .sign(privateKey);
    expect((await refusal(verifier().verify(input(signed)))).clientMessage).toMatch(/private key material/);
  });

  it('refuses an oct jwk, a missing jwk and a jwk that does not fit the alg', async () => {
    expect((await refusal(verifier().verify(input(await proof({ header: { jwk: { kty: 'oct', kid: 'x' } } }))))).clientMessage).toMatch(
      /not a public EC, OKP or RSA key/,
    );
    expect((await refusal(verifier().verify(input(await proof({ header: { jwk: undefined } }))))).clientMessage).toMatch(/no "jwk" object/);
    expect((await refusal(verifier().verify(input(await proof({ header: { alg: 'ES384' } }))))).clientMessage).toMatch(/cannot verify ES384/);
  });

  it('refuses a proof signed by another key than its jwk', async () => {
    const forged = await other.proof('GET', HTU, { claims: { iat: NOW }, header: { jwk: key.jwk } });
    const error = await refusal(verifier().verify(input(forged)));
    expect(error.clientMessage).toMatch(/signature does not verify/);
  });

  it('refuses a crit header', async () => {
    expect((await refusal(verifier().verify(input(await proof({ header: { crit: ['x'], x: 1 } }))))).clientMessage).toMatch(/"crit"/);
  });

  it.each([['jti'], ['htm'], ['htu'], ['iat']])('refuses a proof without %s', async (claim) => {
    expect((await refusal(verifier().verify(input(await proof({ claims: { [claim]: undefined } }))))).clientMessage).toMatch(new RegExp(claim));
  });

  it('refuses an htm mismatch (methods are case-sensitive)', async () => {
    expect((await refusal(verifier().verify(input(await proof(), { method: 'POST' })))).clientMessage).toMatch(/"htm" does not match/);
    expect((await refusal(verifier().verify(input(await key.proof('get', HTU, { claims: { iat: NOW } }))))).clientMessage).toMatch(/"htm"/);
  });

  it('refuses an htu mismatch: another path, host or scheme', async () => {
    for (const htu of ['https://api.example.com/resource/admin', 'https://evil.example.com/resource/protected', 'http://api.example.com/resource/protected']) {
      const signed = await key.proof('GET', htu, { claims: { iat: NOW } });
      expect((await refusal(verifier().verify(input(signed)))).clientMessage).toMatch(/"htu" does not match/);
    }
  });

  it('accepts an htu that differs only by case of scheme and host, default port, query or fragment (RFC 9449 §4.3)', async () => {
    for (const htu of ['HTTPS://API.Example.COM/resource/protected', 'https://api.example.com:443/resource/protected', `${HTU}?a=1`, `${HTU}#frag`]) {
      const signed = await key.proof('GET', htu, { claims: { iat: NOW } });
      await expect(verifier().verify(input(signed))).resolves.toBeDefined();
    }
  });

  it('refuses a stale iat and a future iat beyond window + tolerance (90 s); accepts at the edges', async () => {
    expect(await refusal(verifier().verify(input(await proof({ claims: { iat: NOW - 91 } }))))).toMatchObject({
      clientMessage: expect.stringMatching(/too old/),
    });
    expect(await refusal(verifier().verify(input(await proof({ claims: { iat: NOW + 91 } }))))).toMatchObject({
      clientMessage: expect.stringMatching(/in the future/),
    });
    await expect(verifier().verify(input(await proof({ claims: { iat: NOW - 90 } })))).resolves.toBeDefined();
    await expect(verifier().verify(input(await proof({ claims: { iat: NOW + 90 } })))).resolves.toBeDefined();
  });

  it('refuses a replayed jti within the window, not after it', async () => {
    let now = NOW_MS;
    const check = verifier({ clock: () => now });
    const once = await proof();
    await expect(check.verify(input(once))).resolves.toBeDefined();
    expect((await refusal(check.verify(input(once)))).clientMessage).toMatch(/used before/);
    // Past iat + window + tolerance the proof is stale anyway: the record may go.
    now = NOW_MS + 91_000;
    expect((await refusal(check.verify(input(once)))).clientMessage).toMatch(/too old/);
  });

  it('counts a refused proof as no use of its jti', async () => {
    const check = verifier();
    const signed = await proof({ accessToken: TOKEN });
    await refusal(check.verify(input(signed, { accessToken: 'another.token.x' })));
    await expect(check.verify(input(signed, { accessToken: TOKEN }))).resolves.toBeDefined();
  });

  it('refuses a wrong or missing ath when a token comes with the proof', async () => {
    expect(await refusal(verifier().verify(input(await proof({ accessToken: 'other.token.x' }), { accessToken: TOKEN })))).toMatchObject({
      clientMessage: expect.stringMatching(/"ath"/),
    });
    expect(await refusal(verifier().verify(input(await proof(), { accessToken: TOKEN })))).toMatchObject({ clientMessage: expect.stringMatching(/"ath"/) });
    expect(accessTokenHash('a')).toBe('ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs');
  });

  it('refuses a proof by another key than the token is bound to (cnf.jkt)', async () => {
    const signed = await other.proof('GET', HTU, { claims: { iat: NOW }, accessToken: TOKEN });
    expect(await refusal(verifier().verify(input(signed, { accessToken: TOKEN, boundJkt: key.jkt })))).toMatchObject({
      clientMessage: expect.stringMatching(/another key/),
    });
  });

  describe('with server nonces', () => {
    it('asks for a nonce (use_dpop_nonce, DPoP-Nonce) when the proof has none or a bad one, then accepts it', async () => {
      const nonces = new HmacDpopNonces(Buffer.alloc(32, 7), 60_000, () => NOW_MS);
      const check = verifier({ nonces });
      const missing = await refusal(check.verify(input(await proof())));
      expect(missing).toBeInstanceOf(UseDpopNonceError);
      expect(missing.headers).toEqual({ 'dpop-nonce': nonces.current() });
      expect(await refusal(check.verify(input(await proof({ nonce: 'made-up' }))))).toBeInstanceOf(UseDpopNonceError);
      await expect(check.verify(input(await proof({ nonce: nonces.current() })))).resolves.toBeDefined();
    });
  });
});
