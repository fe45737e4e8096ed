import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../jwt-auth.constants.js';

/** Marks a route (or a whole controller) as open: `JwtAuthGuard` lets it through without a token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
