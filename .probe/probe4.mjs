import 'reflect-metadata';
import { Controller, Get, Module, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
class C { hi() { return { ok: 1 }; } }
Controller('x')(C); Get()(C.prototype, 'hi', Object.getOwnPropertyDescriptor(C.prototype, 'hi'));
for (const path of ['{/*splat}', '*', '/*path', '{*splat}']) {
  class M { configure(consumer) { consumer.apply((req, res, next) => { console.error('mw ran for', path); next(); }).forRoutes({ path, method: RequestMethod.ALL }); } }
  Module({ controllers: [C] })(M);
  const app = await NestFactory.create(M, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  console.error(path, (await fetch(url + '/x')).status);
  await app.close();
}
