export { createTestIssuer, type TestIssuer, type TestIssuerOptions, type TestSignOptions } from './test-issuer.js';
export type { TestRevocation } from './test-revocation-feed.js';
