import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { AuthenticatedCaller } from '@app/contracts';
import { JWT_AUTH_STRATEGY } from '../jwt-auth.constants.js';
import { RevocationPoller } from '../revocation/revocation-poller.js';
import { TokenVerifier } from '../verification/token-verifier.js';
import { JoseBearerStrategy } from './jose-bearer.strategy.js';

/**
 * Registers `JoseBearerStrategy` with passport under `JWT_AUTH_STRATEGY`. Passport keeps one global
 * registry, so one JwtAuthModule configuration is active per process at a time (the last created).
 */
@Injectable()
export class JwtAuthStrategy extends PassportStrategy(JoseBearerStrategy, JWT_AUTH_STRATEGY) {
  // oxlint-disable-next-line no-useless-constructor -- Nest injects by this constructor's parameter types; the mixin's has none
  constructor(verifier: TokenVerifier, revocations: RevocationPoller) {
    super(verifier, revocations);
  }

  /** The user is fully built by `TokenVerifier`; this hook is where a service could enrich it (read-only). */
  validate(user: AuthenticatedCaller): AuthenticatedCaller {
    return user;
  }
}
