import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createAuthApp } from './app.factory.js';
import { readEnvironment } from '@app/config';
import { loadAuthConfig } from './config/auth.config.js';

const logger = new Logger('AuthService');

try {
  const config = loadAuthConfig(readEnvironment());
  const app = await createAuthApp(config);
  // SIGTERM/SIGINT: readiness 503, drain (SHUTDOWN_GRACE), close the database, exit 0 (ShutdownState).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`auth-service listening on ${await app.getUrl()} (issuer ${config.tokens.issuer})`);
} catch (error) {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
