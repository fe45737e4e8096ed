// A consumer of @nest-token-service/jwt-auth outside the monorepo, in plain ESM JavaScript (no
// decorator syntax: the decorators are applied as functions). It boots the app on the adapter named
// by argv[2] with the package's three lines of setup, calls it with the testing kit's tokens, and
// prints what it got as one JSON line.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { CurrentUser, JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule, Public, RequireScopes } from '@nest-token-service/jwt-auth';
import { createTestIssuer } from '@nest-token-service/jwt-auth/testing';

const adapterName = process.argv[2];
const { adapter } =
  adapterName === 'express'
    ? { adapter: new (await import('@nestjs/platform-express')).ExpressAdapter() }
    : { adapter: new (await import('@nestjs/platform-fastify')).FastifyAdapter() };

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
}
const method = (name, ...decorators) =>
  Reflect.decorate(decorators, ApiController.prototype, name, Object.getOwnPropertyDescriptor(ApiController.prototype, name));
method('open', Public(), Get('open'));
method('me', Get('me'));
CurrentUser()(ApiController.prototype, 'me', 0);
method('reports', RequireScopes('reports:write'), Get('reports'));
Controller()(ApiController);

const kit = await createTestIssuer({ audience: 'orders-service' });

class AppModule {}
Module({
  imports: [JwtAuthModule.forRoot({ issuer: kit.issuer, audience: 'orders-service' })],
  controllers: [ApiController],
  providers: [
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_FILTER, useClass: JwtAuthExceptionFilter },
  ],
})(AppModule);

const app = await NestFactory.create(AppModule, adapter, { logger: false });
await app.listen(0, '127.0.0.1');
const base = await app.getUrl();
const call = async (path, token) => {
  const response = await fetch(`${base.replace('[::1]', '127.0.0.1')}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() };
};
const now = Math.floor(Date.now() / 1000);
const results = {
  open: await call('/open'),
  valid: await call('/me', await kit.sign()),
  missing: await call('/me'),
  expired: await call('/me', await kit.sign({ iat: now - 600, exp: now - 300 })),
  wrongAudience: await call('/me', await kit.sign({ aud: 'another-service' })),
  otherKid: await call('/me', await kit.sign({}, { kid: 'not-published' })),
  noScope: await call('/reports', await kit.sign()),
  scoped: await call('/reports', await kit.sign({ scope: 'reports:write' })),
};
await app.close();
await kit.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
