import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { usersConfig } from '../config/users.config.js';
import { UsersService } from './users.service.js';

/** Ensures DEMO_USER exists at start (config refuses DEMO_USER in production). */
@Injectable()
export class DemoUserInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoUserInitializer.name);

  constructor(
    private readonly users: UsersService,
    @Inject(usersConfig.KEY) private readonly config: ConfigType<typeof usersConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const demo = this.config.demo;
    if (!demo) return;
    if (await this.users.ensure(demo.username, demo.password)) {
      this.logger.warn(`created demo user "${demo.username}" (development only; set DEMO_USER= to disable)`);
    }
  }
}
