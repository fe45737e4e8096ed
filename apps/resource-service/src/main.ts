import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createResourceApp } from './app.factory.js';
import { ConfigValidationError, readEnvironment } from '@app/config';
import { loadResourceConfig, type ResourceConfig } from './config/resource.config.js';

function configOrExit(): ResourceConfig {
  try {
    return loadResourceConfig(readEnvironment());
  } catch (error: unknown) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`resource-service: ${error.message}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await createResourceApp(config);
  // SIGTERM/SIGINT: readiness 503, drain (SHUTDOWN_GRACE), exit 0 (ShutdownState).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.http.port, '0.0.0.0');
  new Logger('ResourceService').log(`listening on ${await app.getUrl()}, verifying tokens of ${config.verifier.issuer}`);
}

await bootstrap();
