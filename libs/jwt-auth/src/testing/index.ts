export { createTestIssuer, type TestIssuer, type TestIssuerOptions, type TestSignOptions } from './test-issuer.js';
