import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedCaller } from '@app/contracts';
import { DpopProofVerifier } from '../dpop/dpop-proof-verifier.js';
import { InvalidDpopProofError } from '../dpop/dpop.errors.js';
import { requestHtu, type UrlOfRequest } from '../dpop/request-url.js';
import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { JwtAuthError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';
import { RevocationPoller } from '../revocation/revocation-poller.js';
import { TokenVerifier } from '../verification/token-verifier.js';
import { presentedToken } from './bearer-token.js';

/**
 * What the authenticator reads of a request: express's request and fastify's both carry `headers`,
 * and `method` and the URL parts a DPoP proof is checked against.
 */
export interface BearerRequest extends UrlOfRequest {
  headers: Record<string, unknown>;
  method?: string;
}

/**
 * The one authentication path of the package, behind `JwtAuthGuard` and the passport strategy
 * `JwtAuthStrategy` alike: the access token of the request (TokenMissingError without one), verified
 * by `TokenVerifier`, then checked against the revocation feed (`RevocationPoller`, a cached token
 * included: three O(1) lookups), then, for `Authorization: DPoP`, its proof (`DpopProofVerifier`:
 * one more signature check; docs/dpop.md). A DPoP-bound token (`cnf.jkt`) sent as `Bearer` is refused
 * (no downgrade), and so is any token without a proof when `dpop.required` is set. Resolves to the
 * caller; rejects with the refusal (a `JwtAuthError`: a 401, or a 503 for an unreachable key set or a
 * stale feed) or a fault. Refusals of DPoP requests carry `dpopAlgorithms`, for a `DPoP` challenge.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly required: boolean;
  private readonly publicUrl: string | undefined;

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationPoller,
    private readonly proofs: DpopProofVerifier,
    @Inject(JWT_AUTH_SETTINGS) settings: JwtAuthSettings,
  ) {
    this.required = settings.dpop.required;
    this.publicUrl = settings.dpop.publicUrl;
  }

  async authenticate(request: BearerRequest): Promise<AuthenticatedCaller> {
    const presented = presentedToken(request);
    if (presented === null) throw this.required ? this.inDpopScheme(new TokenMissingError()) : new TokenMissingError();
    if (presented.scheme === 'dpop') return this.authenticateDpop(request, presented.token);
    const caller = await this.verifier.verify(presented.token);
    this.revocations.check(caller);
    if (caller.keyThumbprint !== undefined) throw this.inDpopScheme(new TokenInvalidError('a DPoP-bound token sent with the Bearer scheme'));
    if (this.required) throw this.inDpopScheme(new TokenInvalidError('a bearer token where DPoP is required'));
    return caller;
  }

  private async authenticateDpop(request: BearerRequest, token: string): Promise<AuthenticatedCaller> {
    try {
      const caller = await this.verifier.verify(token);
      this.revocations.check(caller);
      if (caller.keyThumbprint === undefined) throw new InvalidDpopProofError('the access token is not DPoP-bound');
      await this.proofs.require(
        {
          header: request.headers.dpop,
          method: request.method ?? 'GET',
          url: requestHtu(request, this.publicUrl) ?? '',
          accessToken: token,
          boundJkt: caller.keyThumbprint,
        },
        'the request has no DPoP header',
      );
      return caller;
    } catch (error: unknown) {
      throw error instanceof JwtAuthError ? this.inDpopScheme(error) : error;
    }
  }

  /**
   * A refusal of an authenticated caller (the guard's `insufficient_scope`) in the scheme its request
   * used: `DPoP` for a bound token (accepted only as `Authorization: DPoP`) or where DPoP is required.
   */
  refusalOf<E extends JwtAuthError>(caller: AuthenticatedCaller, error: E): E {
    return caller.keyThumbprint !== undefined || this.required ? this.inDpopScheme(error) : error;
  }

  private inDpopScheme<E extends JwtAuthError>(error: E): E {
    error.dpopAlgorithms = this.proofs.algorithmList;
    return error;
  }
}
