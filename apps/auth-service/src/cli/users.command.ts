import { PASSWORD_MAX_LENGTH, USERNAME_PATTERN } from '@app/contracts';
import { UsersService } from '../users/users.service.js';

export const PASSWORD_MIN_LENGTH = 8;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** `users add <name> [--scope "a b"]` and `users list`. Returns the process exit code. */
export interface CommandIo {
  out: (line: string) => void;
  readPassword: (prompt: string) => Promise<string>;
}

export async function usersCommand(users: UsersService, args: string[], { out, readPassword }: CommandIo): Promise<number> {
  const [action, name, ...rest] = args;
  if (action === 'list') {
    const rows = (await users.list()).map((u) => [u.id, u.username, u.scopes.join(' '), u.disabled ? 'disabled' : 'active', new Date(u.createdAt).toISOString()]);
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
    if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
      out(`error: the password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (read from stdin)`);
      return 2;
    }
    const user = await users.create(name, password, scopes);
    out(`created user ${user.username} (${user.id})`);
    return 0;
  }
  out('usage: users add <name> [--scope "a b"]   (password on stdin)\n       users list');
  return 2;
}
