import { Injectable } from '@nestjs/common';
import type { AuthenticatedCaller } from '@app/contracts';
import { TokenMissingError } from '../jwt-auth.errors.js';
import { RevocationPoller } from '../revocation/revocation-poller.js';
import { TokenVerifier } from '../verification/token-verifier.js';
import { bearerToken } from './bearer-token.js';

/** What the authenticator reads of a request: express's request and fastify's both carry `headers`. */
export interface BearerRequest {
  headers: Record<string, unknown>;
}

/**
 * The one authentication path of the package, behind `JwtAuthGuard` and the passport strategy
 * `JwtAuthStrategy` alike: the bearer token of the request (TokenMissingError without one), verified
 * by `TokenVerifier`, then checked against the revocation feed (`RevocationPoller`, a cached token
 * included: three O(1) lookups). Resolves to the caller; rejects with the refusal (a `JwtAuthError`:
 * a 401, or a 503 for an unreachable key set or a stale feed) or a fault.
 */
@Injectable()
export class BearerAuthenticator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationPoller,
  ) {}

  async authenticate(request: BearerRequest): Promise<AuthenticatedCaller> {
    const token = bearerToken(request);
    if (!token) throw new TokenMissingError();
    const caller = await this.verifier.verify(token);
    this.revocations.check(caller);
    return caller;
  }
}
