import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { tutorialConfig, type TutorialConfig } from './config.js';

function configOrExit(): TutorialConfig {
  try {
    return tutorialConfig(process.env);
  } catch (error: unknown) {
    process.stderr.write(`tutorial-resource-service: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create(AppModule.forRoot(config));
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  new Logger('TutorialResourceService').log(`listening on ${await app.getUrl()}, verifying tokens of ${config.issuer}`);
}

await bootstrap();
