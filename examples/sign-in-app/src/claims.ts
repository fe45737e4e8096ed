/** What each claim of our auth-service's ID tokens says, for the table on the signed-in page. */
const MEANING: Record<string, string> = {
  iss: 'who signed it: the auth-service',
  sub: 'the user, as the auth-service knows them',
  aud: "who it is for: this app's client id",
  exp: 'expires',
  iat: 'issued',
  auth_time: 'when the password was entered',
  nonce: 'the one /login sent: this token answers that sign-in',
  sid: "the auth-service's sign-in session (Sign out ends it)",
  at_hash: 'half a SHA-256 of the access token: they came together',
  preferred_username: 'the username (scope profile)',
};
const TIMES = new Set(['exp', 'iat', 'auth_time']);

export interface ClaimRow {
  name: string;
  value: string;
  meaning?: string;
}

/** One row per claim, in the token's order; times also as UTC dates. */
export function describeClaims(claims: Record<string, unknown>): ClaimRow[] {
  return Object.entries(claims).map(([name, value]) => {
    const meaning = MEANING[name];
    if (TIMES.has(name) && typeof value === 'number') return { name, value: String(value), meaning: `${meaning} ${utc(value)}` };
    return { name, value: typeof value === 'string' ? value : JSON.stringify(value), meaning };
  });
}

function utc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
