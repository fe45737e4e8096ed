import { type CanActivate, type ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import type { SecurityConfig } from '../config/auth.config.js';

/**
 * With REGISTRATION_ENABLED=false the register route answers like a route that does not exist, and
 * does so before the body is validated, so nothing shows that it is there.
 */
@Injectable()
export class RegistrationEnabledGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(config: ConfigService) {
    this.enabled = config.getOrThrow<SecurityConfig>('security').registrationEnabled;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.enabled) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
  }
}
