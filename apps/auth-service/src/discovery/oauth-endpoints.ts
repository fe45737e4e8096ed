import { Inject, Injectable } from '@nestjs/common';
import { CLIENT_AUTH_METHODS, type ClientAuthMethod } from '../oauth/client-authentication.js';
import { GRANT_HANDLERS, type GrantHandler } from '../oauth/grants/grant-handler.js';

/**
 * What the OAuth routes actually serve, for the metadata document: the grants are read from the
 * handlers the token endpoint dispatches to, so the document cannot list one that is not wired.
 */
@Injectable()
export class OAuthEndpoints {
  readonly tokenPath = 'oauth/token';
  readonly authorizationPath = 'oauth/authorize';
  readonly userinfoPath = 'oauth/userinfo';
  readonly endSessionPath = 'oauth/logout';
  readonly revocationPath = 'oauth/revoke';
  readonly introspectionPath = 'oauth/introspect';
  readonly grantTypes: string[];
  readonly tokenAuthMethods: readonly ClientAuthMethod[] = CLIENT_AUTH_METHODS;
  readonly revocationAuthMethods: readonly ClientAuthMethod[] = CLIENT_AUTH_METHODS;
  /** Introspection is for confidential clients only (resource servers, gateways). */
  readonly introspectionAuthMethods: readonly ClientAuthMethod[] = CLIENT_AUTH_METHODS.filter((m) => m !== 'none');

  constructor(@Inject(GRANT_HANDLERS) handlers: GrantHandler[]) {
    this.grantTypes = handlers.map((h) => h.grantType);
  }
}
