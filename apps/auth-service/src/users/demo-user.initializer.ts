import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DemoUserConfig } from '../config/auth.config.js';
import { UsersService } from './users.service.js';

/** Ensures DEMO_USER exists at start (config refuses DEMO_USER in production). */
@Injectable()
export class DemoUserInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoUserInitializer.name);

  constructor(
    private readonly users: UsersService,
    private readonly config: ConfigService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const demo = this.config.get<DemoUserConfig>('demoUser');
    if (!demo) return;
    if (await this.users.ensure(demo.username, demo.password)) {
      this.logger.warn(`created demo user "${demo.username}" (development only; set DEMO_USER= to disable)`);
    }
  }
}
