/**
 * The single sign-on cookie (docs/oidc.md "Sessions"): HttpOnly, SameSite=Lax, Path=/;
 * on an https issuer also Secure with the `__Host-` prefix (the browser then refuses it from a
 * sibling subdomain or over http). Its value is the session's secret, never logged (`cookie` is redacted).
 */
export interface CookieNames {
  sso: string;
  browser: string;
}

export function cookieNames(issuer: string): CookieNames {
  const secure = issuer.startsWith('https:');
  return { sso: secure ? '__Host-nts_sso' : 'nts_sso', browser: secure ? '__Host-nts_browser' : 'nts_browser' };
}

/** A `Set-Cookie` value; `maxAgeSeconds` 0 deletes the cookie, undefined makes it a browser-session cookie. */
export function setCookie(issuer: string, name: string, value: string, maxAgeSeconds?: number): string {
  const secure = issuer.startsWith('https:') ? '; Secure' : '';
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${secure}${age}`;
}

/** The value of cookie `name` in a `Cookie` header (the first one, as browsers send the most specific first). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
