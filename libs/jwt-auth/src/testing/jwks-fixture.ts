import { generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CompactSign, SignJWT, base64url, calculateJwkThumbprint, type JWK } from 'jose';
import type { JwsAlgorithm } from '@app/contracts';

export const TEST_ISSUER = 'http://issuer.test';
export const TEST_AUDIENCE = 'resource-service';

/** How the JWKS endpoint misbehaves: a 500, a body that is not JSON, JSON that is no JWK set, or silence. */
export type JwksFailure = 'http-500' | 'bad-json' | 'not-a-key-set' | 'hang';

/**
 * A JWKS endpoint on 127.0.0.1 (port 0) whose key set tests change at will, and which can fail
 * (`failWith`) or be stopped outright (`stop`: connection refused) and brought back (`restart`).
 */
export class JwksFixture {
  /** Requests received so far, answered or not. */
  requests = 0;
  /** Milliseconds each answer waits before it is sent (0: at once), so that requests overlap one fetch. */
  delayMs = 0;
  private keys: JWK[] = [];
  private failure: JwksFailure | undefined;

  private constructor(
    private server: Server,
    readonly port: number,
  ) {}

  static async start(...keys: TestKey[]): Promise<JwksFixture> {
    const server = createServer();
    await listen(server, 0);
    const fixture = new JwksFixture(server, (server.address() as AddressInfo).port);
    server.on('request', (request, response) => fixture.answer(request, response));
    fixture.publish(...keys);
    return fixture;
  }

  get uri(): string {
    return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
  }

  /** Replaces the published key set. */
  publish(...keys: Array<TestKey | JWK>): void {
    this.keys = keys.map((key) => ('publicJwk' in key ? key.publicJwk : key));
  }

  add(...keys: Array<TestKey | JWK>): void {
    this.keys = [...this.keys, ...keys.map((key) => ('publicJwk' in key ? key.publicJwk : key))];
  }

  failWith(failure: JwksFailure): void {
    this.failure = failure;
  }

  recover(): void {
    this.failure = undefined;
  }

  /** Closes the port: fetches now fail with "connection refused". */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    if (this.server.listening) return;
    await listen(this.server, this.port);
  }

  private answer(_request: IncomingMessage, response: ServerResponse): void {
    this.requests += 1;
    if (this.failure === 'hang') return;
    if (this.delayMs > 0) {
      setTimeout(() => this.send(response), this.delayMs);
      return;
    }
    this.send(response);
  }

  private send(response: ServerResponse): void {
    if (this.failure === 'http-500') {
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
      return;
    }
    const body =
      this.failure === 'bad-json' ? '{"keys": [' : this.failure === 'not-a-key-set' ? '{"status":"maintenance"}' : JSON.stringify({ keys: this.keys });
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A signing key pair of the kind the auth-service publishes; `publicJwk` is what goes in the JWKS. */
export interface TestKey {
  kid: string;
  alg: JwsAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
  /** SPKI PEM of the public key: what an attacker can read from the JWKS. */
  publicPem: string;
}

export interface TestKeyOptions {
  /** The JWK's `alg`: the key's algorithm by default, another value, or `false` to publish none. */
  publishedAlg?: string | false;
  kid?: string;
}

const generate = promisify(generateKeyPair);

export async function createTestKey(alg: JwsAlgorithm, options: TestKeyOptions = {}): Promise<TestKey> {
  const { publicKey, privateKey } = await generatePair(alg);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = options.kid ?? (await calculateJwkThumbprint(jwk));
  const publishedAlg = options.publishedAlg ?? alg;
  const publicJwk: JWK = { ...jwk, kid, use: 'sig', ...(publishedAlg === false ? {} : { alg: publishedAlg }) };
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return { kid, alg, privateKey, publicKey, publicJwk, publicPem };
}

function generatePair(alg: JwsAlgorithm): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  if (alg === 'EdDSA' || alg === 'Ed25519') return generate('ed25519');
  if (alg.startsWith('ES')) {
    const namedCurve = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg as 'ES256' | 'ES384' | 'ES512'];
    return generate('ec', { namedCurve });
  }
  return generate('rsa', { modulusLength: 2048 });
}

/** Claims of a valid access token (docs/sessions.md, "The two tokens"), valid from now for 15 minutes. */
export function accessTokenClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: TEST_ISSUER,
    sub: 'user-42',
    aud: TEST_AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + 900,
    jti: randomUUID(),
    username: 'testuser',
    scope: 'resource:read',
    ...overrides,
  };
}

export interface SignOptions {
  /** Claims to set or override. */
  claims?: Record<string, unknown>;
  /** Claims to leave out. */
  omit?: string[];
  /** Header parameters to set or override; `undefined` leaves a parameter out (e.g. `typ`). */
  header?: Record<string, unknown>;
  /** Extension parameters jose should accept in `crit` when signing. */
  crit?: Record<string, boolean>;
}

/** Signs an access token with jose, as the auth-service would; options bend it into a bad one. */
export async function signAccessToken(key: TestKey, options: SignOptions = {}): Promise<string> {
  const claims = accessTokenClaims(options.claims);
  for (const name of options.omit ?? []) delete claims[name];
  const header = { alg: key.alg, kid: key.kid, typ: 'at+jwt', ...options.header } as { alg: string };
  return new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey, { crit: options.crit });
}

/**
 * Signs claims given as raw JSON text, which may hold what JSON.stringify cannot write and SignJWT
 * refuses (e.g. `"exp":1e400`, which parses as Infinity): `{...}` is spliced after the valid claims.
 */
export async function signRawClaims(key: TestKey, rawClaims: string, claims: Record<string, unknown> = {}): Promise<string> {
  const json = `${JSON.stringify(accessTokenClaims(claims)).slice(0, -1)},${rawClaims}}`;
  return new CompactSign(new TextEncoder().encode(json)).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' }).sign(key.privateKey);
}

/** Signs with HMAC (HS256), keyed with whatever bytes an attacker picks. */
export async function signHs256(secret: string, header: Record<string, unknown>, claims = accessTokenClaims()): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'at+jwt', ...header, alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

/** Assembles a compact token from raw parts, no signing: for `alg: none` and malformed tokens. */
export function compactToken(header: unknown, claims: unknown = accessTokenClaims(), signature = ''): string {
  return `${encodeJson(header)}.${encodeJson(claims)}.${signature}`;
}

export function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}
