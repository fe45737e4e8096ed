// The bar `npm run bench` compares us with: what a team could write instead of using our verifier. A
// bare Nest app on fastify with a ~30-line fast-jwt guard: the issuer's key read once from its JWKS,
// issuer, audience and algorithm pinned, no verified-token cache, no request log, no metrics, no
// security headers, no revocation feed. Same routes and answers as the resource-service.
// Plain JavaScript (the bench runs without a compile step), so Nest's decorators are applied as calls.
import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import { Controller, Get, Injectable, Module, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createVerifier } from 'fast-jwt';

const { PORT = '3001', AUTH_ISSUER = 'http://localhost:3000', AUTH_AUDIENCE = 'resource-service', JWKS_URI } = process.env;
const jwks = await (await fetch(JWKS_URI ?? `${AUTH_ISSUER}/.well-known/jwks.json`)).json();
const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
const verify = createVerifier({ key, algorithms: [jwks.keys[0].alg], allowedIss: AUTH_ISSUER, allowedAud: AUTH_AUDIENCE, cache: false });

class FastJwtGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException();
    try {
      request.user = verify(token);
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}
Injectable()(FastJwtGuard);

class ResourceController {
  getPublic() {
    return { message: 'This is a public resource' };
  }
  getProtected(request) {
    return { message: 'This is a protected resource', user: { userId: request.user.sub, username: request.user.username } };
  }
}
const method = (name, ...decorators) => {
  const descriptor = Object.getOwnPropertyDescriptor(ResourceController.prototype, name);
  for (const decorate of decorators) decorate(ResourceController.prototype, name, descriptor);
};
method('getPublic', Get('public'));
method('getProtected', Get('protected'), UseGuards(FastJwtGuard));
Req()(ResourceController.prototype, 'getProtected', 0);
Controller('resource')(ResourceController);

class BaselineModule {}
Module({ controllers: [ResourceController], providers: [FastJwtGuard] })(BaselineModule);

const app = await NestFactory.create(BaselineModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
await app.listen(Number(PORT), '127.0.0.1');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
