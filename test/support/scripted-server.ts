/** The verifier's test support lives with the library (`libs/jwt-auth/src/testing/`); e2e tests use it from here. */
export * from '../../libs/jwt-auth/src/testing/scripted-server.js';
