import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { KeysConfig } from '../config/auth.config.js';
import { KEY_STORE } from './key-store.js';
import { PemKeyStore } from './pem-key.store.js';

@Module({
  providers: [
    {
      provide: KEY_STORE,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => PemKeyStore.open(config.getOrThrow<KeysConfig>('keys')),
    },
  ],
  exports: [KEY_STORE],
})
export class KeysModule {}
