// Verify rate of the two labels of an Ed25519 signature, `EdDSA` and `Ed25519` (RFC 9864), in one
// run: the same key, tokens of the same size, verified with jose's jwtVerify (as @app/jwt-auth does)
// in interleaved batches, then node:crypto's raw rate through bench/lib/crypto-rate.mjs.
// Usage: node bench/ed25519-labels.mjs [tokens per label, default 20000]
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { cryptoRates } from './lib/crypto-rate.mjs';

const LABELS = ['EdDSA', 'Ed25519'];
const COUNT = Number(process.argv[2] ?? 20_000);
const BATCH = 1_000;
const ISSUER = 'http://127.0.0.1:3000';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

async function tokens(alg) {
  const now = Math.floor(Date.now() / 1000);
  const out = [];
  for (let i = 0; i < COUNT; i += 1) {
    const claims = { sub: randomUUID(), aud: 'resource-service', nbf: now, jti: randomUUID(), username: 'bench', scope: 'profile resource:read' };
    const token = new SignJWT(claims)
      .setProtectedHeader({ alg, kid: 'x'.repeat(43), typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + 900);
    out.push(await token.sign(privateKey));
  }
  return out;
}

const sets = Object.fromEntries(await Promise.all(LABELS.map(async (alg) => [alg, await tokens(alg)])));
const elapsed = Object.fromEntries(LABELS.map((alg) => [alg, 0]));
const options = (alg) => ({ algorithms: [alg], issuer: ISSUER, audience: 'resource-service', typ: 'at+jwt' });

// Warm-up, then batches alternating label by label, so drift in the machine's load hits both alike.
for (const alg of LABELS) for (const token of sets[alg].slice(0, BATCH)) await jwtVerify(token, publicKey, options(alg));
for (let start = 0; start < COUNT; start += BATCH) {
  for (const alg of (start / BATCH) % 2 === 0 ? LABELS : [...LABELS].reverse()) {
    const began = performance.now();
    for (const token of sets[alg].slice(start, start + BATCH)) await jwtVerify(token, publicKey, options(alg));
    elapsed[alg] += performance.now() - began;
  }
}

const raw = Object.fromEntries(LABELS.map((alg) => [alg, cryptoRates(alg, privateKey, 1)]));
process.stdout.write(`${COUNT} tokens per label, batches of ${BATCH}, interleaved\n`);
process.stdout.write('label    jose jwtVerify/s   node:crypto verify/s   node:crypto sign/s\n');
for (const alg of LABELS) {
  const perSecond = (COUNT / elapsed[alg]) * 1000;
  process.stdout.write(
    `${alg.padEnd(8)} ${perSecond.toFixed(0).padStart(17)}   ${raw[alg].verifyPerSecond.toFixed(0).padStart(20)}   ${raw[alg].signPerSecond.toFixed(0).padStart(18)}\n`,
  );
}
process.stdout.write(`Ed25519 / EdDSA (jwtVerify): ${(elapsed.EdDSA / elapsed.Ed25519).toFixed(3)}\n`);
