import { redirectUriProblem } from './redirect-uri.js';
import type { GrantType } from './client.entity.js';

/** What registration needs to judge a client's browser settings. */
export interface BrowserRegistration {
  grantTypes: readonly GrantType[];
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  public: boolean;
}

/** Why the client cannot be registered as asked, or undefined (docs/oidc.md "Clients"). */
export function registrationProblem(spec: BrowserRegistration): string | undefined {
  const codeFlow = spec.grantTypes.includes('authorization_code');
  if (codeFlow && spec.redirectUris.length === 0) return 'the authorization_code grant needs at least one --redirect-uri';
  if (!codeFlow && spec.redirectUris.length + spec.postLogoutRedirectUris.length > 0) {
    return '--redirect-uri and --post-logout-redirect-uri need --grant authorization_code';
  }
  if (spec.public && spec.grantTypes.includes('client_credentials'))
    return 'a public client cannot use client_credentials (RFC 6749 4.4: confidential clients only)';
  for (const uri of [...spec.redirectUris, ...spec.postLogoutRedirectUris]) {
    const problem = redirectUriProblem(uri);
    if (problem) return problem;
  }
  return undefined;
}

/** RFC 9700 2.4: the password grant MUST NOT be used by apps; registration allows it, and says so. */
export function registrationWarnings(spec: Pick<BrowserRegistration, 'grantTypes'>): string[] {
  return spec.grantTypes.includes('password')
    ? ["warning: the password grant lets the app see the user's password (RFC 9700 2.4: MUST NOT be used); apps should use --grant authorization_code"]
    : [];
}
