import { type DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { KeysModule } from '../keys/keys.module.js';
import { JwksController } from './jwks.controller.js';

/** The key set alone, so that `RouterModule` can mount it at `JWKS_PATH`. */
@Module({ imports: [KeysModule], controllers: [JwksController] })
export class JwksKeySetModule {}

/** The JWKS at `path` (`JWKS_PATH`). */
@Module({})
export class JwksModule {
  static forRoot(path: string): DynamicModule {
    return { module: JwksModule, imports: [JwksKeySetModule, RouterModule.register([{ path, module: JwksKeySetModule }])] };
  }
}
