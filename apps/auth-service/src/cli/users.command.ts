import { newPasswordProblem, PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@app/contracts';
import type { UsersService } from '../users/users.service.js';
import { table } from './table.js';

export interface CommandIo {
  out: (line: string) => void;
  readPassword: (prompt: string) => Promise<string>;
}

/** What `users disable` and `sessions revoke` need from the sessions: ending every session of a user. */
export interface UserSessions {
  revokeAllForUser(userId: string, reason?: string): Promise<number>;
}

const USAGE = [
  'usage: users add <name> [--scope "a b"]   (password on stdin)',
  '       users list',
  '       users disable <name>                (also ends all of its sessions)',
  '       users enable <name>',
].join('\n');

/** `users add|list|disable|enable`. Returns the process exit code. */
export async function usersCommand(users: UsersService, args: string[], { out, readPassword }: CommandIo, sessions: UserSessions): Promise<number> {
  const [action, name, ...rest] = args;
  if (action === 'list') {
    const rows = (await users.list()).map((u) => [
      u.id,
      u.username,
      u.scopes.join(' '),
      u.disabled ? 'disabled' : 'active',
      new Date(u.createdAt).toISOString(),
    ]);
    out(table([['ID', 'USERNAME', 'SCOPES', 'STATUS', 'CREATED'], ...rows]));
    return 0;
  }
  if (action === 'add' && name) {
    if (!USERNAME_PATTERN.test(name)) {
      out('error: username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit');
      return 2;
    }
    const scopeIndex = rest.indexOf('--scope');
    const scopes = scopeIndex >= 0 ? (rest[scopeIndex + 1] ?? '').split(' ').filter(Boolean) : undefined;
    const password = await readPassword(`password for ${name}: `);
    if (newPasswordProblem(password)) {
      out(`error: the password must be ${PASSWORD_MIN_LENGTH} characters to ${PASSWORD_MAX_BYTES} bytes (read from stdin)`);
      return 2;
    }
    const user = await users.create(name, password, scopes);
    out(`created user ${user.username} (${user.id})`);
    return 0;
  }
  if ((action === 'disable' || action === 'enable') && name) {
    const user = await users.setDisabled(name, action === 'disable');
    if (!user) {
      out(`error: no user "${name}"`);
      return 1;
    }
    if (action === 'enable') {
      out(`enabled user ${user.username}`);
      return 0;
    }
    const ended = await sessions.revokeAllForUser(user.id);
    out(`disabled user ${user.username}; ended ${ended} session${ended === 1 ? '' : 's'}`);
    return 0;
  }
  out(USAGE);
  return 2;
}
