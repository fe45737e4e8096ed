import { DEFAULT_CLIENT } from '../clients/client.entity.js';
import { parseBasic } from './client-authentication.js';
import { grantAudience, grantScope } from './grant-policy.js';
import { OAuthError } from './oauth.error.js';

describe('grantScope', () => {
  it('gives everything allowed without a scope, the requested ones within it, and refuses anything beyond', () => {
    expect(grantScope(undefined, ['a', 'b'])).toEqual(['a', 'b']);
    expect(grantScope('  ', ['a', 'b'])).toEqual(['a', 'b']);
    expect(grantScope('b b', ['a', 'b'])).toEqual(['b']);
    expect(() => grantScope('a c', ['a', 'b'])).toThrow(expect.objectContaining({ error: 'invalid_scope' }) as Error);
  });
});

describe('grantAudience', () => {
  const client = { ...DEFAULT_CLIENT, audiences: ['billing'] };
  it('takes resource or audience among the registered and default audiences', () => {
    expect(grantAudience({}, client, ['resource-service'])).toBeUndefined();
    expect(grantAudience({ resource: 'billing' }, client, ['resource-service'])).toBe('billing');
    expect(grantAudience({ audience: 'resource-service' }, client, ['resource-service'])).toBe('resource-service');
    expect(() => grantAudience({ resource: 'payroll' }, client, ['resource-service'])).toThrow(OAuthError);
    expect(() => grantAudience({ resource: 'billing', audience: 'resource-service' }, client, ['resource-service'])).toThrow(OAuthError);
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
