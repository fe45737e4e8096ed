import { SetMetadata } from '@nestjs/common';
import { REQUIRED_SCOPES_KEY } from '../jwt-auth.constants.js';

/**
 * The token must grant every listed scope. Scopes on a controller and on its handler add up;
 * a missing one answers 403 with `error="insufficient_scope"`.
 */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES_KEY, scopes);
