import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import type { TutorialConfig } from './config.js';
import { ResourceController } from './resource/resource.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: TutorialConfig): DynamicModule {
    return { module: AppModule, imports: [AuthModule.forRoot(config)], controllers: [ResourceController] };
  }
}
