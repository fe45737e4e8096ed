import { type BeforeApplicationShutdown, Inject, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CLOCK, type Clock } from '../time/clock.js';
import { keysConfig } from '../config/keys.config.js';
import { tokensConfig } from '../config/tokens.config.js';
import { DATABASE, type Database } from '../database/database.js';
import { KEY_STORE, type KeyStore } from './key-store.js';
import { ManagedKeyStore } from './managed/managed-key.store.js';
import { PemKeyStore } from './pem-key.store.js';

/** Opens the configured key source: PEM files (`pem`) or the managed, rotating key table (`managed`). */
export function openKeyStore(keys: ConfigType<typeof keysConfig>, tokens: ConfigType<typeof tokensConfig>, db: Database, clock: Clock): Promise<KeyStore> {
  if (keys.source === 'managed') return ManagedKeyStore.open(keys, tokens, db, clock);
  return PemKeyStore.open(keys);
}

@Module({
  providers: [{ provide: KEY_STORE, inject: [keysConfig.KEY, tokensConfig.KEY, DATABASE, CLOCK], useFactory: openKeyStore }],
  exports: [KEY_STORE],
})
export class KeysModule implements BeforeApplicationShutdown {
  constructor(@Inject(KEY_STORE) private readonly store: KeyStore) {}

  /** Before the database closes: the managed store stops syncing and retires per-replica keys. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.store.close?.();
  }
}
