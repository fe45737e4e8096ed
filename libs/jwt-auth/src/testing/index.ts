export { createTestIssuer, type TestIssuer, type TestIssuerOptions, type TestSignOptions } from './test-issuer.js';
export type { TestRevocation } from './test-revocation-feed.js';
export { createTestDpopKey, type TestDpopKey, type TestProofOptions } from './test-dpop-key.js';
