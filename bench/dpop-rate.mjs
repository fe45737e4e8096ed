// What a DPoP proof adds to a request with a hot token (docs/performance.md "DPoP"): CPU per
// `BearerAuthenticator.authenticate` for the same hot access token sent as `Bearer` (unbound) and as
// `DPoP` with a fresh proof (bound), ES256 and EdDSA proofs, next to raw node:crypto verify of the
// proof alone, interleaved in rounds so that other load on the machine hits every variant alike.
// The proof check should cost its verify plus a few microseconds. Run `npm run build` first.
//   node bench/dpop-rate.mjs [rounds=5] [proofs per round=3000]
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { loadavg } from 'node:os';
import { parameters } from './lib/crypto-rate.mjs';
import { BearerAuthenticator } from '../dist/libs/jwt-auth/src/bearer/bearer-authenticator.js';
import { jwkThumbprint, thumbprintInput } from '../dist/libs/jwt-auth/src/dpop/dpop-key.js';
import { DpopProofVerifier } from '../dist/libs/jwt-auth/src/dpop/dpop-proof-verifier.js';
import { MemoryDpopReplayStore } from '../dist/libs/jwt-auth/src/dpop/dpop-replay-store.js';
import { accessTokenHash } from '../dist/libs/jwt-auth/src/dpop/proof-rules.js';
import { TokenVerifier } from '../dist/libs/jwt-auth/src/verification/token-verifier.js';
import { VerifiedTokenCache } from '../dist/libs/jwt-auth/src/verification/verified-token-cache.js';

const rounds = Number(process.argv[2] ?? 5);
const perRound = Number(process.argv[3] ?? 3000);
const ISSUER = 'http://issuer.test';
const AUDIENCE = 'resource-service';
const HOST = 'api.example.com';
const PATH = '/resource/protected';
const HTU = `http://${HOST}${PATH}`;
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function keyPair(alg) {
  return alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

/** An RS256 access token of the auth-service's shape, bound to `jkt` when given. */
function accessToken(privateKey, jkt) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: ISSUER,
    sub: randomUUID(),
    aud: AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + 900,
    jti: randomUUID(),
    username: 'bench',
    scope: 'resource:read',
  };
  const input = `${b64({ alg: 'RS256', kid: 'k'.repeat(43), typ: 'at+jwt' })}.${b64(jkt ? { ...claims, cnf: { jkt } } : claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** `count` proofs for one GET of PATH with `token`, each with its own jti. */
function proofs(alg, key, jwk, token, count) {
  const header = b64({ typ: 'dpop+jwt', alg, jwk });
  const signer = parameters(alg, key);
  const ath = accessTokenHash(token);
  const iat = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, () => {
    const input = `${header}.${b64({ jti: randomUUID(), htm: 'GET', htu: HTU, iat, ath })}`;
    return `${input}.${sign(signer.digest, Buffer.from(input), signer.key).toString('base64url')}`;
  });
}

const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const resolved = { kid: 'k'.repeat(43), key: issuer.publicKey, jwkAlg: 'RS256', pem: '' };
const keys = { known: () => resolved, resolve: async () => resolved, isConfirmed: () => true };
const clock = () => Date.now();
const settings = {
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ['RS256', 'ES256', 'EdDSA'],
  clockTolerance: 30,
  maxTokenAge: 86_400,
  verifiedTokenCacheSize: 10_000,
  dpop: { required: false, proofWindow: 60, publicUrl: undefined },
};
const verifier = new TokenVerifier(settings, clock, keys, new VerifiedTokenCache(settings, clock, keys));
const revocations = { check: () => undefined };
const dpop = new DpopProofVerifier({
  algorithms: settings.algorithms,
  proofWindowSeconds: 60,
  clockToleranceSeconds: 30,
  replayStore: new MemoryDpopReplayStore(),
  clock,
});
const authenticator = new BearerAuthenticator(verifier, revocations, dpop, settings);
const request = (authorization, proof) => ({
  method: 'GET',
  url: PATH,
  protocol: 'http',
  headers: { host: HOST, authorization, ...(proof ? { dpop: proof } : {}) },
});

const bearerToken = accessToken(issuer.privateKey);
const clients = Object.fromEntries(
  ['ES256', 'EdDSA'].map((alg) => {
    const { privateKey, publicKey } = keyPair(alg);
    const { kid: _kid, ...jwk } = publicKey.export({ format: 'jwk' });
    const token = accessToken(issuer.privateKey, jwkThumbprint(thumbprintInput(jwk)));
    return [alg, { privateKey, publicKey, jwk, token }];
  }),
);

async function cpuPer(list, operation) {
  const before = process.cpuUsage();
  for (const item of list) await operation(item);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / list.length;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const samples = {};
const note = (name, us) => (samples[name] ??= []).push(us);
console.log(`load average ${loadavg()[0].toFixed(2)}; ${rounds} rounds x ${perRound} requests; CPU µs per request (median)`);
for (let round = 0; round <= rounds; round += 1) {
  const bearer = request(`Bearer ${bearerToken}`);
  const bearerUs = await cpuPer(Array.from({ length: perRound }), () => authenticator.authenticate(bearer));
  if (round > 0) note('Bearer, hot token', bearerUs);
  for (const [alg, client] of Object.entries(clients)) {
    const list = proofs(alg, client.privateKey, client.jwk, client.token, perRound);
    const dpopUs = await cpuPer(list, (proof) => authenticator.authenticate(request(`DPoP ${client.token}`, proof)));
    const check = parameters(alg, client.publicKey);
    const rawUs = await cpuPer(list, (proof) => {
      const dot = proof.lastIndexOf('.');
      if (!verify(check.digest, Buffer.from(proof.slice(0, dot)), check.key, Buffer.from(proof.slice(dot + 1), 'base64url'))) throw new Error('invalid');
    });
    if (round > 0) {
      note(`DPoP ${alg} proof, hot token`, dpopUs);
      note(`raw verify of the ${alg} proof`, rawUs);
      note(`DPoP ${alg}: cost beyond Bearer + verify`, dpopUs - bearerUs - rawUs);
    }
  }
}
for (const [name, values] of Object.entries(samples)) console.log(`${name.padEnd(42)} ${median(values).toFixed(1).padStart(7)} µs`);
