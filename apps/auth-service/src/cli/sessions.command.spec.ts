import { sessionsCommand } from './sessions.command.js';

describe('sessions command', () => {
  let lines: string[];
  let ended: Array<{ id: string; reason?: string }>;
  const users = { findByUsername: async (name: string) => (name === 'ann' ? { id: 'id-ann', username: 'ann' } : undefined) };
  const sessions = { revokeAllForUser: async (id: string, reason?: string) => (ended.push({ id, reason }), 2) };
  const run = (...args: string[]) => sessionsCommand(users, args, (line) => lines.push(line), sessions);

  beforeEach(() => {
    lines = [];
    ended = [];
  });

  it('revoke --user ends every session of that user, as an operator action', async () => {
    expect(await run('revoke', '--user', 'ann')).toBe(0);
    expect(ended).toEqual([{ id: 'id-ann', reason: 'operator' }]);
    expect(lines).toEqual(['ended 2 sessions of user ann']);
  });

  it('names an unknown user and exits 1', async () => {
    expect(await run('revoke', '--user', 'bob')).toBe(1);
    expect(lines).toEqual(['error: no user "bob"']);
    expect(ended).toEqual([]);
  });

  it.each([[[]], [['revoke']], [['revoke', '--user']], [['revoke', 'ann']], [['list']], [['revoke', '--user', 'ann', 'extra']]])(
    'prints its usage for %j',
    async (args) => {
      expect(await run(...args)).toBe(2);
      expect(lines[0]).toMatch(/^usage: sessions revoke --user <name>/);
    },
  );
});
