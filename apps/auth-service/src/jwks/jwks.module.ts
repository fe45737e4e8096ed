import { type DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { KeysModule } from '../keys/keys.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { DiscoveryController } from './discovery.controller.js';
import { JwksController } from './jwks.controller.js';

/** The key set alone, so that `RouterModule` can mount it at `JWKS_PATH` without moving the metadata. */
@Module({ imports: [KeysModule], controllers: [JwksController] })
export class JwksKeySetModule {}

/** The JWKS at `path` (`JWKS_PATH`) and the issuer metadata under `/.well-known`. */
@Module({})
export class JwksModule {
  static forRoot(path: string): DynamicModule {
    return {
      module: JwksModule,
      imports: [KeysModule, OAuthModule, JwksKeySetModule, RouterModule.register([{ path, module: JwksKeySetModule }])],
      controllers: [DiscoveryController],
    };
  }
}
