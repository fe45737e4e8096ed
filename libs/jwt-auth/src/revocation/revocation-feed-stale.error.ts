import { ErrorCode } from '@app/contracts';
import { JwtAuthError } from '../jwt-auth.errors.js';

/**
 * The revocation feed has not been read for longer than `revocationMaxStaleness`: with that option
 * set the verifier fails closed (503) rather than accept tokens it cannot check (docs/revocation.md).
 */
export class RevocationFeedStaleError extends JwtAuthError {
  readonly status = 503;
  readonly code = ErrorCode.ServiceUnavailable;
  override readonly logLevel = 'warn';

  constructor(reason: string) {
    super('Token revocations cannot be checked right now; try again later', reason);
  }
}
