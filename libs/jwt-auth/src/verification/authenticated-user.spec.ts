import { isAuthenticatedClient } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import { toAuthenticatedUser } from './authenticated-user.js';

const base = { jti: 'j1', exp: 2_000_000_000, scope: 'a b' };

describe('toAuthenticatedUser', () => {
  it('a user token becomes an AuthenticatedUser with its client and session', () => {
    const caller = toAuthenticatedUser({ ...base, sub: 'u1', username: 'ann', client_id: 'web', sid: 's1' });
    expect(caller).toEqual({ userId: 'u1', username: 'ann', clientId: 'web', sessionId: 's1', scopes: ['a', 'b'], tokenId: 'j1', expiresAt: 2_000_000_000 });
    expect(isAuthenticatedClient(caller)).toBe(false);
  });

  it('a client-credentials token (no username, sub = client_id) becomes an AuthenticatedClient', () => {
    const caller = toAuthenticatedUser({ ...base, sub: 'svc', client_id: 'svc' });
    expect(caller).toEqual({ clientId: 'svc', scopes: ['a', 'b'], tokenId: 'j1', expiresAt: 2_000_000_000 });
    expect(isAuthenticatedClient(caller)).toBe(true);
  });

  it.each([
    ['no username and no client_id', { sub: 'svc' }],
    ['no username and sub other than client_id', { sub: 'someone', client_id: 'svc' }],
    ['a client_id that is not a string', { sub: 'u1', username: 'ann', client_id: 7 }],
    ['an empty sid', { sub: 'u1', username: 'ann', sid: '' }],
  ])('refuses %s', (_case, claims) => {
    expect(() => toAuthenticatedUser({ ...base, ...claims })).toThrow(TokenInvalidError);
  });

  it('a DPoP-bound token carries its key thumbprint (cnf.jkt); a cnf without jkt is refused', () => {
    const client = { ...base, sub: 'svc', client_id: 'svc' };
    expect(toAuthenticatedUser({ ...client, cnf: { jkt: 'abc' } })).toMatchObject({ clientId: 'svc', keyThumbprint: 'abc' });
    expect(toAuthenticatedUser(client)).not.toHaveProperty('keyThumbprint');
    expect(() => toAuthenticatedUser({ ...client, cnf: { 'x5t#S256': 'abc' } })).toThrow(TokenInvalidError);
    expect(() => toAuthenticatedUser({ ...client, cnf: 'abc' })).toThrow(TokenInvalidError);
  });
});
