// The cold path in isolation: CPU per verification of a token never seen before, for jose's
// jwtVerify (WebCrypto, async) against our TokenVerifier (node:crypto, synchronous, the verified-
// token cache off), fast-jwt (what the bench's bare baseline app uses) and raw node:crypto verify,
// for valid and forged tokens, interleaved in rounds so
// that other load on the machine hits every variant alike. CPU is process.cpuUsage() (every thread:
// WebCrypto's work on the libuv pool counts). Run `npm run build` first.
//   node bench/verify-rate.mjs [rounds=5] [tokens per round=2000] [algorithms=RS256,ES256,EdDSA]
import { generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import { jwtVerify } from 'jose';
import { parameters } from './lib/crypto-rate.mjs';
import { TokenVerifier } from '../dist/libs/jwt-auth/src/verification/token-verifier.js';

const rounds = Number(process.argv[2] ?? 5);
const perRound = Number(process.argv[3] ?? 2000);
const algorithms = (process.argv[4] ?? 'RS256,ES256,EdDSA').split(',');
const ISSUER = 'http://issuer.test';
const AUDIENCE = 'resource-service';
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function keyPair(alg) {
  if (alg === 'EdDSA' || alg === 'Ed25519') return generateKeyPairSync('ed25519');
  const curve = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' }[alg];
  return curve ? generateKeyPairSync('ec', { namedCurve: curve }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** `count` unique tokens of the auth-service's shape; forged ones carry random signature bytes. */
function tokens(alg, privateKey, count, forged) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg, kid: 'k'.repeat(43), typ: 'at+jwt' });
  const signer = parameters(alg, privateKey);
  return Array.from({ length: count }, () => {
    const claims = {
      iss: ISSUER,
      sub: randomUUID(),
      aud: AUDIENCE,
      iat: now,
      nbf: now,
      exp: now + 900,
      jti: randomUUID(),
      username: 'bench',
      scope: 'profile resource:read',
    };
    const input = `${header}.${b64(claims)}`;
    const signature = sign(signer.digest, Buffer.from(input), signer.key);
    return `${input}.${(forged ? randomBytes(signature.length) : signature).toString('base64url')}`;
  });
}

async function cpuPerOperation(operation, list) {
  const before = process.cpuUsage();
  for (const token of list) {
    const result = operation(token);
    if (result instanceof Promise) await result;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / list.length;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`load average ${(await import('node:os')).loadavg()[0].toFixed(2)}; ${rounds} rounds x ${perRound} tokens; CPU µs per verification (median)`);
for (const alg of algorithms) {
  const { privateKey, publicKey } = keyPair(alg);
  const resolved = { kid: 'k'.repeat(43), key: publicKey, jwkAlg: alg, pem: '' };
  const settings = { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg], clockTolerance: 0, maxTokenAge: 86_400 };
  const keys = { known: () => resolved, resolve: async () => resolved, isConfirmed: () => true };
  const noCache = { get: () => undefined, remember: () => {} };
  const ours = new TokenVerifier(settings, () => Date.now(), keys, noCache);
  const verifier = parameters(alg, publicKey);
  const fastJwt = createVerifier({
    key: publicKey.export({ type: 'spki', format: 'pem' }),
    algorithms: [alg === 'Ed25519' ? 'EdDSA' : alg],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    cache: false,
  });
  const refused = (check) => {
    try {
      check();
    } catch {
      return;
    }
    throw new Error('a forged token was accepted');
  };
  const variants = {
    'jose jwtVerify': (token) => jwtVerify(token, publicKey, { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' }),
    TokenVerifier: (token) => ours.verify(token),
    'fast-jwt': (token) => fastJwt(token),
    'raw node:crypto': (token) => {
      const dot = token.lastIndexOf('.');
      if (!verify(verifier.digest, Buffer.from(token.slice(0, dot)), verifier.key, Buffer.from(token.slice(dot + 1), 'base64url'))) throw new Error('invalid');
    },
    'jose, forged': (token) =>
      jwtVerify(token, publicKey, { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' }).then(
        () => {
          throw new Error('a forged token was accepted');
        },
        () => undefined,
      ),
    'TokenVerifier, forged': (token) => refused(() => ours.verify(token)),
    'fast-jwt, forged': (token) => refused(() => fastJwt(token)),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round <= rounds; round += 1) {
    const valid = tokens(alg, privateKey, perRound, false);
    const forged = tokens(alg, privateKey, perRound, true);
    for (const [name, operation] of Object.entries(variants)) {
      const us = await cpuPerOperation(operation, name.endsWith('forged') ? forged : valid);
      if (round > 0) samples[name].push(us); // round 0 warms up
    }
  }
  const joseUs = median(samples['jose jwtVerify']);
  for (const [name, values] of Object.entries(samples)) {
    const us = median(values);
    console.log(
      `${alg.padEnd(7)} ${name.padEnd(22)} ${us.toFixed(1).padStart(7)} µs  ${Math.round(1e6 / us)
        .toLocaleString('en-US')
        .padStart(7)}/s  ${(joseUs / us).toFixed(2)}x jose`,
    );
  }
}
