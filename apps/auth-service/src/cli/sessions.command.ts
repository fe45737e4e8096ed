import type { UserSessions } from './users.command.js';

/** What `sessions revoke` needs from the users: finding one by name. */
export interface UserLookup {
  findByUsername(username: string): Promise<{ id: string; username: string } | undefined>;
}

const USAGE =
  'usage: sessions revoke --user <name>   (log out everywhere: ends every session of the user; its access tokens are refused through the revocation feed)';

/**
 * `sessions revoke --user <name>`: every session of a user ends, and their access tokens enter the
 * revocation feed (docs/revocation.md); the account stays enabled, so the user can log in again.
 * Returns the process exit code.
 */
export async function sessionsCommand(users: UserLookup, args: string[], out: (line: string) => void, sessions: UserSessions): Promise<number> {
  const [action, flag, name, ...rest] = args;
  if (action !== 'revoke' || flag !== '--user' || !name || rest.length > 0) {
    out(USAGE);
    return 2;
  }
  const user = await users.findByUsername(name);
  if (!user) {
    out(`error: no user "${name}"`);
    return 1;
  }
  const ended = await sessions.revokeAllForUser(user.id, 'operator');
  out(`ended ${ended} session${ended === 1 ? '' : 's'} of user ${user.username}`);
  return 0;
}
