import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import type { User } from './user.entity.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  scopes: string;
  disabled: number;
  created_at: number;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    scopes: row.scopes.split(' ').filter(Boolean),
    disabled: Number(row.disabled) === 1,
    createdAt: Number(row.created_at),
  };
}

/** One argon2 parameter set of the users table: how many hashes have it, and the smallest of them. */
export interface HashParameterSet {
  parameters: string;
  users: number;
  /** MIN(password_hash) of the set: secret, and the same for every replica (DummyHashes keys its choice with it). */
  least: string;
}

/**
 * The PHC prefix of `password_hash` up to the salt (`$argon2id$v=19$m=7168,p=1,t=5`), in SQL: up to
 * the `$` after `$m=`. `instr` in SQLite, `strpos` in PostgreSQL; '' for a hash without one.
 */
function parametersOfHash(dialect: Database['dialect']): string {
  const find = dialect === 'postgres' ? 'strpos' : 'instr';
  const at = `${find}(password_hash, '$m=')`;
  const end = `${find}(substr(password_hash, ${at} + 1), '$')`;
  return `CASE WHEN ${at} > 0 AND ${end} > 0 THEN substr(password_hash, 1, ${at} + ${end} - 1) ELSE '' END`;
}

@Injectable()
export class UsersRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async findByUsername(username: string): Promise<User | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
    return row ? toUser(row) : undefined;
  }

  async findById(id: string): Promise<User | undefined> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return row ? toUser(row) : undefined;
  }

  /** Sets the disabled flag; returns the user as it is now, or undefined when there is no such user. */
  async setDisabled(username: string, disabled: boolean, now: number): Promise<User | undefined> {
    const changed = await this.db.run('UPDATE users SET disabled = $2, updated_at = $3 WHERE username = $1', [username, disabled ? 1 : 0, now]);
    return changed === 1 ? this.findByUsername(username) : undefined;
  }

  /**
   * Replaces a password hash by one of the same password made with today's parameters, unless the
   * stored hash changed meanwhile (a concurrent login did it first); returns whether it was replaced.
   */
  async replacePasswordHash(id: string, current: string, next: string, now: number): Promise<boolean> {
    const changes = await this.db.run('UPDATE users SET password_hash = $3, updated_at = $4 WHERE id = $1 AND password_hash = $2', [id, current, next, now]);
    return changes === 1;
  }

  /** Inserts the user unless the name is taken; returns whether it was inserted. */
  async insert(user: User): Promise<boolean> {
    const changes = await this.db.run(
      `INSERT INTO users (id, username, password_hash, scopes, disabled, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (username) DO NOTHING`,
      [user.id, user.username, user.passwordHash, user.scopes.join(' '), user.disabled ? 1 : 0, user.createdAt],
    );
    return changes === 1;
  }

  /** The argon2 parameter sets of the stored hashes (one row per set, not per user: the scan stays in the database). */
  async hashParameterSets(): Promise<HashParameterSet[]> {
    const rows = await this.db.query<HashParameterSet>(
      `SELECT ${parametersOfHash(this.db.dialect)} AS parameters, COUNT(*) AS users, MIN(password_hash) AS least FROM users GROUP BY 1`,
    );
    return rows.map((row) => ({ parameters: row.parameters, users: Number(row.users), least: row.least }));
  }

  async list(): Promise<User[]> {
    return (await this.db.query<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }
}
