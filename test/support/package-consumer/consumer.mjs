// A consumer of @nest-token-service/jwt-auth outside the monorepo, in plain ESM JavaScript (no
// decorator syntax: the decorators are applied as functions). It boots the app on the adapter named
// by argv[2] with the package's three lines of setup, calls it with the testing kit's tokens, and
// prints what it got as one JSON line.
import 'reflect-metadata';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { CurrentUser, JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule, JwtAuthStrategy, Public, RequireScopes } from '@nest-token-service/jwt-auth';
import { createTestIssuer } from '@nest-token-service/jwt-auth/testing';

const { ExpressAdapter } = await import('@nestjs/platform-express');
const { FastifyAdapter } = await import('@nestjs/platform-fastify');
const adapter = () => (process.argv[2] === 'express' ? new ExpressAdapter() : new FastifyAdapter());

class ApiController {
  open() {
    return { open: true };
  }
  me(user) {
    return { userId: user.userId, scopes: user.scopes };
  }
  reports() {
    return { written: true };
  }
  viaPassport(user) {
    return { userId: user.userId };
  }
}
const method = (name, ...decorators) =>
  Reflect.decorate(decorators, ApiController.prototype, name, Object.getOwnPropertyDescriptor(ApiController.prototype, name));
method('open', Public(), Get('open'));
method('me', Get('me'));
CurrentUser()(ApiController.prototype, 'me', 0);
method('reports', RequireScopes('reports:write'), Get('reports'));
// The package's passport strategy, for teams that compose strategies: AuthGuard('jwt') of @nestjs/passport.
method('viaPassport', Public(), UseGuards(AuthGuard('jwt')), Get('passport'));
CurrentUser()(ApiController.prototype, 'viaPassport', 0);
Controller()(ApiController);

/** The consumer's app, set up as the package README says, listening on 127.0.0.1; `call(path, token?)` answers. */
async function boot(options) {
  class AppModule {}
  Module({
    imports: [JwtAuthModule.forRoot(options)],
    controllers: [ApiController],
    providers: [JwtAuthStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }, { provide: APP_FILTER, useClass: JwtAuthExceptionFilter }],
  })(AppModule);
  const app = await NestFactory.create(AppModule, adapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const call = async (path, token) => {
    const response = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() };
  };
  return { call, close: () => app.close() };
}

const kit = await createTestIssuer({ audience: 'orders-service' });
const withKit = await boot({ issuer: kit.issuer, audience: 'orders-service' });
const now = Math.floor(Date.now() / 1000);
const results = {
  open: await withKit.call('/open'),
  valid: await withKit.call('/me', await kit.sign()),
  missing: await withKit.call('/me'),
  expired: await withKit.call('/me', await kit.sign({ iat: now - 600, exp: now - 300 })),
  wrongAudience: await withKit.call('/me', await kit.sign({ aud: 'another-service' })),
  otherKid: await withKit.call('/me', await kit.sign({}, { kid: 'not-published' })),
  noScope: await withKit.call('/reports', await kit.sign()),
  scoped: await withKit.call('/reports', await kit.sign({ scope: 'reports:write' })),
  viaPassport: await withKit.call('/passport', await kit.sign()),
  viaPassportForged: await withKit.call('/passport', `${(await kit.sign()).slice(0, -8)}AAAAAAAA`),
};
await withKit.close();
await kit.close();

// Revocation: the kit's feed, discovered from its metadata by forRoot({ issuer, audience }) alone.
const feedKit = await createTestIssuer({ audience: 'orders-service', revocations: true });
const withFeed = await boot({ issuer: feedKit.issuer, audience: 'orders-service', revocationPollInterval: '100ms' });
const listed = await feedKit.sign({ sid: 'session-1' });
results.revocation = { before: await withFeed.call('/me', listed) };
feedKit.revoke({ sid: 'session-1' });
const deadline = Date.now() + 10_000;
let after = await withFeed.call('/me', listed);
while (after.status === 200 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  after = await withFeed.call('/me', listed);
}
results.revocation.after = after;
results.revocation.otherSession = await withFeed.call('/me', await feedKit.sign({ sid: 'session-2' }));
await withFeed.close();
await feedKit.close();

// A real token of a running auth-service, when the test hands one over (its issuer is not its URL, so jwksUri is given).
const { AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URI, AUTH_TOKEN } = process.env;
if (AUTH_TOKEN) {
  const withAuth = await boot({ issuer: AUTH_ISSUER, audience: AUTH_AUDIENCE, jwksUri: AUTH_JWKS_URI });
  results.authService = {
    valid: await withAuth.call('/me', AUTH_TOKEN),
    missing: await withAuth.call('/me'),
    noScope: await withAuth.call('/reports', AUTH_TOKEN),
  };
  await withAuth.close();
}
process.stdout.write(`${JSON.stringify(results)}\n`);
