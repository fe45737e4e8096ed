/**
 * The redirect back to the client (RFC 6749 4.1.2, RFC 9207): its parameters added to the redirect
 * URI's own query, `iss` always, `state` when the client sent one.
 */
export function authorizationResponse(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.href;
}
