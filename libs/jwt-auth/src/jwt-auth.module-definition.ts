import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { JwtAuthModuleOptions } from './interfaces/jwt-auth-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: JWT_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<JwtAuthModuleOptions>({ moduleName: 'JwtAuth' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
