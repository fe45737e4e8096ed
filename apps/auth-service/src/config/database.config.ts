import { defineNamespace, setting } from '@app/config';

/** Which database holds users, sessions and managed keys (`database` namespace). */
export interface DatabaseConfig {
  /** `DATABASE_URL` (`postgres://…`): PostgreSQL. Never repeated in a message: it may hold a password. */
  url?: string;
  /** `DATA_DIR`: folder of the embedded SQLite file when no URL is set. */
  dataDir: string;
}

export const databaseConfig = defineNamespace('database', (env): DatabaseConfig => ({
  url: setting(env, 'DATABASE_URL'),
  dataDir: setting(env, 'DATA_DIR') ?? './data',
}));
