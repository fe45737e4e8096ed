import { createServer } from 'node:http';
import * as oidc from 'openid-client';
import { createApp } from './app.js';
import { appConfig, type AppConfig } from './config.js';
import { Pages } from './pages.js';

function fail(message: string): never {
  process.stderr.write(`sign-in-app: ${message}\n`);
  process.exit(1);
}

let config: AppConfig;
try {
  config = appConfig(process.env);
} catch (error) {
  fail((error as Error).message);
}

// Discovery: the endpoints (authorize, token, logout) and the JWKS that checks ID tokens all come from
// the issuer's /.well-known/openid-configuration. allowInsecureRequests: plain http, for a local issuer.
const client = await oidc
  .discovery(config.issuer, config.clientId, config.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] })
  .catch((error: Error) => fail(`no OpenID Connect discovery at ${config.issuer.href}: ${error.message}`));

const server = createServer(createApp(config, client, new Pages(config.issuer)));
// Loopback only: the app serves plain http and holds tokens in memory.
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`sign-in-app listening on ${config.appUrl} (client ${config.clientId})\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
