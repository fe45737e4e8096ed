import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CLOCK, type Clock } from '../time/clock.js';
import { type DatabaseConfig, databaseConfig } from '../config/database.config.js';
import { DATABASE, type Database } from './database.js';
import { migrate } from './migrations.js';

const logger = new Logger('DatabaseModule');

/**
 * The configured database; only its driver is loaded (`pg` alone is ~3 MB of heap a SQLite
 * deployment would carry for nothing: docs/performance.md, "Memory").
 */
async function connect(config: DatabaseConfig): Promise<Database> {
  if (config.url) return new (await import('./postgres.database.js')).PostgresDatabase(config.url);
  return new (await import('./sqlite.database.js')).SqliteDatabase(config.dataDir);
}

/** Opens the configured database and brings its schema up to date before anything uses it. */
export async function openDatabase(config: DatabaseConfig, clock: Clock): Promise<Database> {
  const db = await connect(config);
  try {
    const applied = await migrate(db, clock.now());
    if (applied.length > 0) logger.log(`applied migrations ${applied.join(', ')} (${db.dialect})`);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [databaseConfig.KEY, CLOCK],
      useFactory: (config: ConfigType<typeof databaseConfig>, clock: Clock) => openDatabase(config, clock),
    },
  ],
  exports: [DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
