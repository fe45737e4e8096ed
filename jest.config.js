// Jest 30 + @swc/jest, native ESM (run under NODE_OPTIONS=--experimental-vm-modules by `npm test`).
const swc = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

// ESM-only packages that CommonJS dependencies require(): Node 20 loads them (require(esm)), Jest's
// module runtime on Node 20 does not, so they are compiled to CommonJS for the tests only.
// content-disposition 3 is required by @fastify/static, which serves the Swagger UI's assets.
const esmOnlyRequired = ['content-disposition'];

export default {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    [`/node_modules/(${esmOnlyRequired.join('|')})/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyRequired.join('|')})/)`],
  moduleNameMapper: {
    '^@app/config$': '<rootDir>/libs/config/src/index.ts',
    '^@app/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@app/jwt-auth$': '<rootDir>/libs/jwt-auth/src/index.ts',
    // The testing kit's entry point, as the package exports it (`@nest-token-service/jwt-auth/testing`); for the tests only.
    '^@app/jwt-auth/testing$': '<rootDir>/libs/jwt-auth/src/testing/index.ts',
    '^@app/observability$': '<rootDir>/libs/observability/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // The built package (npm run pack:jwt-auth) has the library's package name: not a module of the tests.
  modulePathIgnorePatterns: ['<rootDir>/dist/jwt-auth-package/'],
  testTimeout: 30000,
  // One test file at a time (the fault specs measure real time on a 2-core machine), in a worker
  // process that is replaced once it holds more than this between files: every file links its own
  // copy of the module graph (vm modules), and one process running all of them in band grew slower
  // file by file (a full run took 1,300 s in band).
  workerIdleMemoryLimit: '1GB',
};
