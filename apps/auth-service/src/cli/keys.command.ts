import { iso, type KeyAdmin } from '../keys/managed/key-admin.js';
import { table } from './table.js';

const USAGE = 'usage: keys list | keys rotate | keys revoke <kid> | keys revoke-all --yes | keys purge';

/**
 * `keys list|rotate|revoke <kid>|revoke-all --yes|purge` on the managed key table. `admin` is undefined
 * with KEYS_SOURCE=pem, whose keys are files (docs/key-rotation.md). Returns the process exit code.
 */
export async function keysCommand(admin: KeyAdmin | undefined, args: string[], out: (line: string) => void): Promise<number> {
  const [action, argument] = args;
  if (!admin) {
    out('error: KEYS_SOURCE=pem: keys are the files in KEYS_DIR; rotate them by hand as docs/key-rotation.md shows');
    return 2;
  }
  switch (action) {
    case 'list': {
      const rows = (await admin.list()).map((k) => [
        k.kid,
        k.alg,
        k.purpose,
        k.state,
        iso(k.createdAt),
        iso(k.activatesAt),
        iso(k.deprecatesAt),
        k.revokedAt === undefined ? iso(k.expiresAt) : `revoked ${iso(k.revokedAt)}`,
        k.owner === undefined ? 'cluster' : k.owner.slice(0, 8),
      ]);
      out(table([['KID', 'ALG', 'PURPOSE', 'STATE', 'CREATED', 'ACTIVATES', 'DEPRECATES', 'EXPIRES', 'OWNER'], ...rows]));
      return 0;
    }
    case 'rotate':
      for (const line of await admin.rotate()) out(line);
      return 0;
    case 'revoke':
      if (!argument) break;
      if (await admin.revoke(argument)) {
        out(`revoked ${argument}: running replicas stop signing with it and drop it from the JWKS at their next sync`);
        return 0;
      }
      out(`error: no unrevoked key ${argument} (see keys list)`);
      return 1;
    case 'revoke-all':
      if (argument !== '--yes') {
        out('error: revoke-all invalidates every token issued so far; repeat with --yes');
        return 2;
      }
      out(`revoked ${await admin.revokeAll()} key(s); running replicas create a new key at their next sync`);
      return 0;
    case 'purge':
      out(`deleted ${await admin.purge()} expired or revoked key(s)`);
      return 0;
  }
  out(USAGE);
  return 2;
}
