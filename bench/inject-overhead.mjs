// What the verifier adds to a request, without the network and the load generator: boots the built
// resource-service in-process against a local JWKS, and times GET /resource/public and
// GET /resource/protected through fastify's inject(), interleaved in rounds. Prints the server CPU
// per request and the protected/public ratio (median of the per-round ratios, so slow drift in the
// machine's load cancels out). Run `npm run build` first.
//   node bench/inject-overhead.mjs [rounds=15] [requests per round and route=3000]
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import { ResourceAppModule } from '../dist/apps/resource-service/src/app.module.js';
import { loadResourceConfig } from '../dist/apps/resource-service/src/config/resource.config.js';

const rounds = Number(process.argv[2] ?? 15);
const perRound = Number(process.argv[3] ?? 3000);
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
let next = 0;
const routes = {
  public: () => ({ method: 'GET', url: '/resource/public' }),
  protectedOne: () => ({ method: 'GET', url: '/resource/protected', headers: { authorization: `Bearer ${pool[0]}` } }),
  protectedPool: () => ({ method: 'GET', url: '/resource/protected', headers: { authorization: `Bearer ${pool[next++ % pool.length]}` } }),
};

async function cpuPerRequest(route, count) {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) {
    const response = await fastify.inject(routes[route]());
    if (response.statusCode !== 200) throw new Error(`${route}: ${response.statusCode} ${response.body}`);
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
