import { actorChain, isAuthenticatedClient } from '@app/contracts';
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

  it('an exchanged token (RFC 8693 act) gives the actor chain, the nearest first', () => {
    const caller = toAuthenticatedUser({ ...base, sub: 'u1', username: 'ann', client_id: 'billing', act: { sub: 'billing', act: { sub: 'orders' } } });
    expect(caller).toMatchObject({ userId: 'u1', clientId: 'billing', actor: { subject: 'billing', actor: { subject: 'orders' } } });
    expect(actorChain(caller as { actor?: never })).toEqual(['billing', 'orders']);
    expect(actorChain(toAuthenticatedUser({ ...base, sub: 'u1', username: 'ann' }) as { actor?: never })).toEqual([]);
  });

  const nested = (depth: number): Record<string, unknown> => (depth === 1 ? { sub: 'svc1' } : { sub: `svc${depth}`, act: nested(depth - 1) });

  it('accepts an act chain five deep and refuses six', () => {
    expect(actorChain(toAuthenticatedUser({ ...base, sub: 'u1', username: 'ann', act: nested(5) }) as { actor?: never })).toHaveLength(5);
    expect(() => toAuthenticatedUser({ ...base, sub: 'u1', username: 'ann', act: nested(6) })).toThrow(TokenInvalidError);
  });

  it.each([
    ['an act that is not an object', { sub: 'u1', username: 'ann', act: 'orders' }],
    ['an act without sub', { sub: 'u1', username: 'ann', act: { act: { sub: 'x' } } }],
    ['a nested act with an empty sub', { sub: 'u1', username: 'ann', act: { sub: 'b', act: { sub: '' } } }],
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
