import { joinUrl } from '@app/contracts';

const WELL_KNOWN = '.well-known/oauth-authorization-server';

/**
 * Where an issuer's authorization server metadata is looked for, in order (docs/revocation.md,
 * "Discovery"). First RFC 8414 §3: the well-known segment between host and path, any terminating `/`
 * of the path removed (openid-client's `discovery(…, { algorithm: 'oauth2' })` asks there). Then, for
 * an issuer with a path, `${issuer}/.well-known/oauth-authorization-server`: the auth-service serves
 * its metadata at its own root and joins every URL onto the issuer (`joinUrl`), so mounted under a
 * path prefix that is where its document is (as `jwksUri` defaults to `${issuer}/.well-known/jwks.json`).
 * Without a path the two are one URL. Empty when the issuer is not an http(s) URL.
 */
export function issuerMetadataUris(issuer: string): string[] {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return [];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
  const inserted = new URL(`/${WELL_KNOWN}${url.pathname.replace(/\/+$/, '')}`, url.origin).href;
  const appended = new URL(joinUrl(issuer, WELL_KNOWN)).href;
  return inserted === appended ? [inserted] : [inserted, appended];
}
