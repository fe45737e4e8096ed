// What the verifier adds to a request, without the network and the load generator: boots the built
// resource-service in-process against a local JWKS, and times GET /resource/public and
// GET /resource/protected (one token, a pool of 1,000, fresh tokens never seen before, forged tokens
// with the real kid) through fastify's inject(), interleaved in rounds. Prints the server CPU
// per request and the protected/public ratio (median of the per-round ratios, so slow drift in the
// machine's load cancels out). Run `npm run build` first.
//   node bench/inject-overhead.mjs [rounds=10] [requests per round and route=2000]
import { generateKeyPairSync, randomBytes, randomUUID, sign as signBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import { ResourceAppModule } from '../dist/apps/resource-service/src/app.module.js';
import { loadResourceConfig } from '../dist/apps/resource-service/src/config/resource.config.js';

const rounds = Number(process.argv[2] ?? 10);
const perRound = Number(process.argv[3] ?? 2000);
const ISSUER = 'http://issuer.test';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' };
jwk.kid = await calculateJwkThumbprint(jwk);
const jwks = createServer((_request, response) => response.end(JSON.stringify({ keys: [jwk] })));
await new Promise((resolve) => jwks.listen(0, '127.0.0.1', resolve));

const env = { AUTH_ISSUER: ISSUER, JWKS_URI: `http://127.0.0.1:${jwks.address().port}/jwks.json`, ...process.env };
const app = await NestFactory.create(ResourceAppModule.forRoot(loadResourceConfig(env)), new FastifyAdapter(), { logger: false });
await app.init();
const fastify = app.getHttpAdapter().getInstance();
await fastify.ready();

const now = Math.floor(Date.now() / 1000);
const sign = () =>
  new SignJWT({ username: 'bench', scope: 'profile resource:read' })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setSubject(randomUUID())
    .setAudience('resource-service')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 900)
    .setJti(randomUUID())
    .sign(privateKey);
const pool = await Promise.all(Array.from({ length: 1000 }, sign));
// Fresh: copies of a pool token with their own jti, signed here with node:crypto (each is used once);
// forged: the same with random signature bytes.
const [header, payload] = pool[0].split('.');
const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
const copy = () => `${header}.${Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString('base64url')}`;
const fresh = Array.from({ length: perRound * (rounds + 1) }, () => {
  const input = copy();
  return `${input}.${signBytes('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
});
const forged = Array.from({ length: perRound * (rounds + 1) }, () => `${copy()}.${randomBytes(256).toString('base64url')}`);
const counters = { pool: 0, fresh: 0, forged: 0 };
const bearer = (token) => ({ method: 'GET', url: '/resource/protected', headers: { authorization: `Bearer ${token}` } });
const allRoutes = {
  public: () => ({ method: 'GET', url: '/resource/public' }),
  protectedOne: () => bearer(pool[0]),
  protectedPool: () => bearer(pool[counters.pool++ % pool.length]),
  protectedFresh: () => bearer(fresh[counters.fresh++]),
  protectedForged: () => bearer(forged[counters.forged++]),
  noToken: () => ({ method: 'GET', url: '/resource/protected' }),
  garbageToken: () => bearer('x'),
};
// ONLY=public,protectedForged limits the routes (for a CPU profile of one path); public always runs.
const only = process.env.ONLY?.split(',');
const routes = Object.fromEntries(Object.entries(allRoutes).filter(([name]) => !only || name === 'public' || only.includes(name)));

async function cpuPerRequest(route, count) {
  const expected = ['protectedForged', 'noToken', 'garbageToken'].includes(route) ? 401 : 200;
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) {
    const response = await fastify.inject(routes[route]());
    if (response.statusCode !== expected) throw new Error(`${route}: ${response.statusCode} ${response.body}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
for (const route of Object.keys(routes)) await cpuPerRequest(route, perRound); // warm-up
const samples = Object.fromEntries(Object.keys(routes).map((route) => [route, []]));
for (let round = 0; round < rounds; round += 1) for (const route of Object.keys(routes)) samples[route].push(await cpuPerRequest(route, perRound));

for (const [route, values] of Object.entries(samples)) {
  const ratios = values.map((value, i) => samples.public[i] / value);
  console.log(`${route.padEnd(14)} ${median(values).toFixed(1).padStart(6)} µs CPU/request   rate vs public ${median(ratios).toFixed(2)}x`);
}
await app.close();
jwks.close();
