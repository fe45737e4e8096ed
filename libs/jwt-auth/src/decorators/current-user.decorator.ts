import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '@app/contracts';

/** Injects the `AuthenticatedUser` (or one of its fields) that `JwtAuthGuard` put on the request. */
export const CurrentUser = createParamDecorator((field: keyof AuthenticatedUser | undefined, context: ExecutionContext) => {
  const { user } = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>();
  return field && user ? user[field] : user;
});
