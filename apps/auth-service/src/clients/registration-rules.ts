import { redirectUriProblem } from './redirect-uri.js';
import type { GrantType } from './client.entity.js';

/** What registration needs to judge a client's browser settings. */
export interface BrowserRegistration {
  grantTypes: readonly GrantType[];
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  public: boolean;
  /** `--id-token-alg`, as given. */
  idTokenAlg?: string;
}

/**
 * Why the client cannot be registered as asked, or undefined (docs/oidc.md "Clients").
 * `idTokenAlgorithms`: the algorithms this service signs ID tokens with (RS256, and JWT_ALGORITHM).
 */
export function registrationProblem(spec: BrowserRegistration, idTokenAlgorithms: readonly string[]): string | undefined {
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
  return spec.idTokenAlg === undefined ? undefined : idTokenAlgProblem(spec.idTokenAlg, idTokenAlgorithms);
}

/** `--id-token-alg` must name an algorithm ID tokens are signed with here: RS256, or JWT_ALGORITHM. */
export function idTokenAlgProblem(alg: string, idTokenAlgorithms: readonly string[]): string | undefined {
  if (idTokenAlgorithms.includes(alg)) return undefined;
  const others = idTokenAlgorithms.length > 1 ? ` or ${idTokenAlgorithms.slice(1).join(', ')} (JWT_ALGORITHM)` : ', the only one while JWT_ALGORITHM is RS256';
  return `--id-token-alg must be an algorithm this service signs ID tokens with: RS256${others}; got ${JSON.stringify(alg)}`;
}

/** RFC 9700 2.4: the password grant MUST NOT be used by apps; registration allows it, and says so. */
export function registrationWarnings(spec: Pick<BrowserRegistration, 'grantTypes'>): string[] {
  return spec.grantTypes.includes('password')
    ? ["warning: the password grant lets the app see the user's password (RFC 9700 2.4: MUST NOT be used); apps should use --grant authorization_code"]
    : [];
}
