import { type CanActivate, type ExecutionContext, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { securityConfig } from '../config/security.config.js';

/**
 * With REGISTRATION_ENABLED=false the register route answers like a route that does not exist, and
 * does so before the body is validated, so nothing shows that it is there.
 */
@Injectable()
export class RegistrationEnabledGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(@Inject(securityConfig.KEY) security: ConfigType<typeof securityConfig>) {
    this.enabled = security.registrationEnabled;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.enabled) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
  }
}
