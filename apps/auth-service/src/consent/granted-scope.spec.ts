import type { User } from '../users/user.entity.js';
import { grantedScope } from './granted-scope.js';

describe('grantedScope', () => {
  const user = { scopes: ['profile', 'resource:read'] } as User;
  it('keeps openid and offline_access from the request (registration and consent), the rest as far as the user has them', () => {
    expect(grantedScope(['openid', 'offline_access', 'profile', 'resource:admin'], user)).toEqual(['openid', 'offline_access', 'profile']);
  });
});
