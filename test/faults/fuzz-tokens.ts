import * as fc from 'fast-check';

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');
/** Header values node:http lets a client send: visible ASCII and latin-1, no controls. */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength });

/** Protected headers a forger might write: pinned and unpinned algs, real and random kids, key-source headers, crit. */
function jwsHeader(realKid: string): fc.Arbitrary<unknown> {
  const header = fc.record(
    {
      alg: fc.oneof(fc.constantFrom('RS256', 'ES256', 'EdDSA', 'PS512', 'none', 'None', 'HS256', ''), fc.jsonValue({ maxDepth: 2 })),
      kid: fc.oneof(fc.constant(realKid), fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 2 })),
      typ: fc.constantFrom('at+jwt', 'JWT', 'application/at+jwt', ''),
      jku: fc.constant('http://127.0.0.1:1/jwks.json'),
      jwk: fc.constant({ kty: 'oct', k: 'AAAA' }),
      crit: fc.constant(['exp']),
      b64: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: 3, arbitrary: header }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) });
}

/** Claims of any shape: plausible ones with wrong values, and arbitrary JSON. */
const payload = fc.oneof(
  fc.record(
    {
      iss: fc.oneof(fc.constant('http://localhost:3000'), fc.string({ maxLength: 20 })),
      aud: fc.oneof(fc.constant('resource-service'), fc.array(fc.string({ maxLength: 10 }))),
      sub: fc.string({ maxLength: 20 }),
      exp: fc.oneof(fc.integer(), fc.double(), fc.constant(1e308)),
      nbf: fc.integer(),
      scope: fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 2 })),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);

/**
 * `Authorization` headers (undefined: none sent): junk after Bearer, other schemes, three base64url
 * segments with random JSON headers and payloads, a real token with a segment replaced, and headers
 * far beyond the token and header size limits.
 */
export function authorizationCase(realToken: string, realKid: string): fc.Arbitrary<string | undefined> {
  const [realHeader, realPayload, realSignature] = realToken.split('.');
  const signature = fc.oneof(fc.constant(realSignature), fc.uint8Array({ maxLength: 300 }).map(b64url), fc.constant(''));
  const forged = fc
    .tuple(jwsHeader(realKid), payload, signature)
    .map(([header, claims, sig]) => `${b64url(JSON.stringify(header) ?? '')}.${b64url(JSON.stringify(claims) ?? '')}.${sig}`);
  const spliced = fc
    .tuple(fc.constantFrom(0, 1, 2), fc.oneof(fc.uint8Array({ maxLength: 200 }).map(b64url), headerText(40)))
    .map(([index, segment]) => [realHeader, realPayload, realSignature].map((part, i) => (i === index ? segment : part)).join('.'));
  const segments = fc
    .array(fc.oneof(fc.uint8Array({ maxLength: 60 }).map(b64url), headerText(20)), { minLength: 0, maxLength: 6 })
    .map((parts) => parts.join('.'));
  const token = fc.oneof(forged, spliced, segments, headerText(80));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: token.map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('bearer ', 'Bearer  ', 'Basic ', 'Bearer', 'Token ', 'BEARER '), token).map(([scheme, t]) => scheme + t) },
    { weight: 1, arbitrary: headerText(100) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('A', '.', 'é'), fc.integer({ min: 5_000, max: 40_000 })).map(([unit, count]) => `Bearer ${unit.repeat(count)}`),
    },
  );
}
