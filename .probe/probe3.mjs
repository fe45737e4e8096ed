import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LoggerModule, Logger } from 'nestjs-pino';
class C { hi() { return { ok: 1 }; } }
Controller('x')(C); Get()(C.prototype, 'hi', Object.getOwnPropertyDescriptor(C.prototype, 'hi'));
class M {}
Module({ imports: [LoggerModule.forRoot()], controllers: [C] })(M);
const app = await NestFactory.create(M, new FastifyAdapter(), { bufferLogs: true });
app.useLogger(app.get(Logger));
app.getHttpAdapter().getInstance().addHook('onResponse', (req, reply, done) => { console.error('allLogs', req.raw.allLogs?.length, Object.getOwnPropertySymbols(reply.raw).map(String)); console.error('raw.log?', !!req.raw.log, req.raw.id, reply.raw.listenerCount('finish'), reply.raw.listenerCount('close'), reply.raw.writableFinished); done(); });
await app.listen(0, '127.0.0.1');
const url = await app.getUrl();
console.error((await fetch(url + '/x')).status);
await new Promise((r) => setTimeout(r, 100));
await app.close();
