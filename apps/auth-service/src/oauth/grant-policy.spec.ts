import { DEFAULT_CLIENT } from '../clients/client.entity.js';
import { parseBasic } from './client-authentication.js';
import { grantAudience, grantScope } from './grant-policy.js';
import { OAuthError, type OAuthErrorCode } from './oauth.error.js';

/** The RFC 6749 5.2 code and description `refuse` threw; fails when it threw nothing or not an OAuthError. */
function refusal(refuse: () => unknown): { error: OAuthErrorCode; description: string } {
  try {
    refuse();
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.oauthError, description: error.description };
    throw error;
  }
  throw new Error('expected an OAuthError, nothing was thrown');
}

describe('grantScope', () => {
  it('gives everything allowed without a scope, the requested ones within it, and refuses anything beyond', () => {
    expect(grantScope(undefined, ['a', 'b'])).toEqual(['a', 'b']);
    expect(grantScope('  ', ['a', 'b'])).toEqual(['a', 'b']);
    expect(grantScope('b b', ['a', 'b'])).toEqual(['b']);
    expect(refusal(() => grantScope('a c', ['a', 'b']))).toEqual({ error: 'invalid_scope', description: 'not allowed for this client: c' });
    expect(refusal(() => grantScope('a', []))).toEqual({ error: 'invalid_scope', description: 'not allowed for this client (it has no scopes): a' });
  });

  it('names refused scopes only when they are RFC 6749 3.3 scope tokens, never CR/LF, quotes or backslashes', () => {
    const { error, description } = refusal(() => grantScope('ok:scope bad\r\nline "q" b\\s \u0000', ['a']));
    expect(error).toBe('invalid_scope');
    expect(description).toBe('not allowed for this client: ok:scope (not shown)');
  });
});

describe('grantAudience', () => {
  const client = { ...DEFAULT_CLIENT, audiences: ['billing'] };
  it('takes resource or audience among the registered and default audiences', () => {
    expect(grantAudience({}, client, ['resource-service'])).toBeUndefined();
    expect(grantAudience({ resource: 'billing' }, client, ['resource-service'])).toBe('billing');
    expect(grantAudience({ audience: 'resource-service' }, client, ['resource-service'])).toBe('resource-service');
    expect(refusal(() => grantAudience({ resource: 'payroll' }, client, ['resource-service'])).error).toBe('invalid_target');
    expect(refusal(() => grantAudience({ resource: 'billing', audience: 'resource-service' }, client, ['resource-service'])).error).toBe('invalid_request');
  });
});

describe('parseBasic', () => {
  const header = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
  it('form-decodes id and secret (RFC 6749 2.3.1) and refuses what is not id:secret', () => {
    expect(parseBasic(header('svc%3Aa:s+e%2Bc'))).toEqual({ id: 'svc:a', secret: 's e+c' });
    expect(parseBasic(header('no-colon'))).toBeUndefined();
    expect(parseBasic(header(':secret'))).toBeUndefined();
    expect(parseBasic(header('id:%E0%A4%A'))).toBeUndefined();
    expect(parseBasic('Basic !!!')).toBeUndefined();
  });
});
