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

  async list(): Promise<User[]> {
    return (await this.db.query<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }
}
