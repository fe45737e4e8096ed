import { type DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TUTORIAL_CONFIG, type TutorialConfig } from '../config.js';
import { JwtStrategy } from './jwt.strategy.js';

@Module({})
export class AuthModule {
  static forRoot(config: TutorialConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [PassportModule],
      providers: [{ provide: TUTORIAL_CONFIG, useValue: config }, JwtStrategy],
    };
  }
}
