import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';
import { usersCommand } from './users.command.js';

function user(username: string, disabled = false): User {
  return { id: `id-${username}`, username, passwordHash: 'x', scopes: ['profile'], disabled, createdAt: 0 };
}

/** Just the parts of UsersService the command calls. */
class FakeUsers {
  readonly rows = new Map<string, User>([['ann', user('ann')]]);
  readonly created: Array<{ name: string; password: string }> = [];
  async setDisabled(name: string, disabled: boolean) {
    const found = this.rows.get(name);
    if (!found) return undefined;
    found.disabled = disabled;
    return found;
  }
  async create(name: string, password: string) {
    this.created.push({ name, password });
    return user(name);
  }
  async list() {
    return [...this.rows.values()];
  }
}

describe('users command', () => {
  let users: FakeUsers;
  let lines: string[];
  let revoked: string[];
  const sessions = { revokeAllForUser: async (id: string) => (revoked.push(id), 3) };
  const run = (args: string[], password = '') =>
    usersCommand(users as unknown as UsersService, args, { out: (l) => lines.push(l), readPassword: async () => password }, sessions);

  beforeEach(() => {
    users = new FakeUsers();
    lines = [];
    revoked = [];
  });

  it('disable marks the user disabled and ends all of its sessions', async () => {
    expect(await run(['disable', 'ann'])).toBe(0);
    expect(users.rows.get('ann')?.disabled).toBe(true);
    expect(revoked).toEqual(['id-ann']);
    expect(lines).toEqual(['disabled user ann; ended 3 sessions']);
  });

  it('enable clears the flag and touches no session', async () => {
    users.rows.get('ann')!.disabled = true;
    expect(await run(['enable', 'ann'])).toBe(0);
    expect(users.rows.get('ann')?.disabled).toBe(false);
    expect(revoked).toEqual([]);
  });

  it('reports an unknown user with exit code 1', async () => {
    expect(await run(['disable', 'nobody'])).toBe(1);
    expect(lines).toEqual(['error: no user "nobody"']);
    expect(revoked).toEqual([]);
  });

  it('add refuses a password under 8 characters or over 1024 bytes and takes a good one', async () => {
    expect(await run(['add', 'bob'], 'short')).toBe(2);
    expect(await run(['add', 'bob'], 'é'.repeat(513))).toBe(2);
    expect(users.created).toEqual([]);
    expect(await run(['add', 'bob'], 'long enough')).toBe(0);
    expect(users.created).toEqual([{ name: 'bob', password: 'long enough' }]);
  });

  it('prints the usage for anything else', async () => {
    expect(await run(['disable'])).toBe(2);
    expect(lines.join('\n')).toContain('users disable <name>');
  });
});
