import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedCaller } from '@app/contracts';

/**
 * Injects what `JwtAuthGuard` put on the request: an `AuthenticatedUser` for a user token, an
 * `AuthenticatedClient` for a client-credentials token (`isAuthenticatedClient` tells them apart),
 * or one field of it (`@CurrentUser('username')`; undefined when the caller has no such field).
 */
export const CurrentUser = createParamDecorator((field: string | undefined, context: ExecutionContext) => {
  const { user } = context.switchToHttp().getRequest<{ user?: AuthenticatedCaller }>();
  return field && user ? (user as unknown as Record<string, unknown>)[field] : user;
});
