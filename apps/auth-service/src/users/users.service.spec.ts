import { Test } from '@nestjs/testing';
import { CLOCK } from '../common/clock.js';
import { normalizePassword, PasswordHasher } from './password-hasher.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { UsernameTakenError, UsersService } from './users.service.js';

/** The real hasher, recording each argon2 verification it ran: the hash and the answer. */
class RecordingHasher extends PasswordHasher {
  readonly checked: { hash: string; ok: boolean }[] = [];

  protected override async check(hash: string, password: string): Promise<boolean> {
    const ok = await super.check(hash, password);
    this.checked.push({ hash, ok });
    return ok;
  }
}

/** An in-memory stand-in for the repository; the database itself is covered by the e2e suites. */
class MemoryUsers {
  readonly rows = new Map<string, User>();
  async findByUsername(name: string) {
    return this.rows.get(name);
  }
  async insert(user: User) {
    if (this.rows.has(user.username)) return false;
    this.rows.set(user.username, user);
    return true;
  }
  async list() {
    return [...this.rows.values()];
  }
}

describe('UsersService', () => {
  let users: UsersService;
  let hasher: RecordingHasher;
  let rows: MemoryUsers;

  beforeEach(async () => {
    rows = new MemoryUsers();
    const module = await Test.createTestingModule({
      providers: [
        UsersService,
        { provide: PasswordHasher, useClass: RecordingHasher },
        { provide: UsersRepository, useValue: rows },
        { provide: CLOCK, useValue: { now: () => 1_000 } },
      ],
    }).compile();
    users = module.get(UsersService);
    hasher = module.get(PasswordHasher) as RecordingHasher;
  });

  it('stores an argon2id hash, never the password', async () => {
    const user = await users.create('alice', 'correct horse');
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    expect(user.passwordHash).not.toContain('correct horse');
  });

  it('authenticates the right password only', async () => {
    await users.create('alice', 'correct horse');
    expect((await users.authenticate('alice', 'correct horse'))?.username).toBe('alice');
    expect(await users.authenticate('alice', 'wrong horse')).toBeUndefined();
  });

  it('checks an unknown user against a real argon2id hash, like a wrong password', async () => {
    const known = await users.create('frank', 'correct horse');

    expect(await users.authenticate('frank', 'wrong horse')).toBeUndefined();
    expect(await users.authenticate('nobody', 'wrong horse')).toBeUndefined();
    expect(hasher.checked).toHaveLength(2);
    expect(hasher.checked[0]).toEqual({ hash: known.passwordHash, ok: false });
    expect(hasher.checked[1].hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(hasher.checked[1].hash).not.toBe(known.passwordHash);
    expect(hasher.checked[1].ok).toBe(false);
  });

  it('refuses a disabled user even with the right password', async () => {
    const user = await users.create('carol', 'correct horse');
    rows.rows.set('carol', { ...user, disabled: true });
    expect(await users.authenticate('carol', 'correct horse')).toBeUndefined();
  });

  it('normalises passwords with NFKC (a full-width password matches its ASCII form)', async () => {
    expect(normalizePassword('ｐａｓｓ１')).toBe('pass1');
    await users.create('dave', 'ｐａｓｓｗｏｒｄ１');
    expect(await users.authenticate('dave', 'password1')).toBeDefined();
  });

  it('refuses a taken username and ensure() leaves an existing user alone', async () => {
    await users.create('erin', 'first-password');
    await expect(users.create('erin', 'second-password')).rejects.toThrow(UsernameTakenError);
    expect(await users.ensure('erin', 'third-password')).toBe(false);
    expect(await users.authenticate('erin', 'first-password')).toBeDefined();
  });

  it('treats a corrupt stored hash as a failed login', async () => {
    const user = await users.create('grace', 'correct horse');
    rows.rows.set('grace', { ...user, passwordHash: 'not-a-hash' });

    await expect(users.authenticate('grace', 'correct horse')).resolves.toBeUndefined();
    await expect(users.authenticate('grace', 'not-a-hash')).resolves.toBeUndefined();
  });
});
