import { Get } from '@nestjs/common';
import { TooManyRequestsException } from '../../apps/auth-service/src/http/too-many-requests.exception.js';
import { DatabaseUnavailableError } from '../../apps/auth-service/src/database/database.js';
import { NoSigningKeyError } from '../../apps/auth-service/src/keys/key-store.js';
import { InvalidCredentialsError, InvalidRefreshTokenError } from '../../apps/auth-service/src/oauth/grant-errors.js';

/**
 * Routes that throw the auth-service's errors, for the specs that pin how each error is answered:
 * a spec extends it with `@Controller(path)` (and its filter) and adds routes of its own.
 */
export abstract class FaultyRoutes {
  @Get('database')
  database(): never {
    throw new DatabaseUnavailableError(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
  }

  @Get('no-key')
  noKey(): never {
    throw new NoSigningKeyError();
  }

  @Get('locked')
  locked(): never {
    throw new TooManyRequestsException(2_500);
  }

  /** A wrong password: 401 on the ErrorResponse routes, `invalid_grant` (400) under `/oauth/`. */
  @Get('password')
  password(): never {
    throw new InvalidCredentialsError();
  }

  @Get('refresh')
  refresh(): never {
    throw new InvalidRefreshTokenError('reused');
  }

  /** Its message holds a secret that must never reach the answer. */
  @Get('crash')
  crash(): never {
    throw new Error('pool exhausted at postgres://admin:hunter2@db:5432');
  }
}
