import { Test } from '@nestjs/testing';
import argon2 from 'argon2';
import { CLOCK } from '../time/clock.js';
import { passwordsConfig } from '../config/passwords.config.js';
import { normalizePassword, PASSWORD_HASH_OPTIONS, PasswordHasher } from './password-hasher.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { UsernameTakenError, UsersService } from './users.service.js';

/** The real hasher, recording each argon2 verification it ran (the hash and the answer) and how many ran at once. */
class RecordingHasher extends PasswordHasher {
  readonly checked: { hash: string; ok: boolean }[] = [];
  running = 0;
  mostAtOnce = 0;

  /** How long each check holds its slot before hashing, so checks the limiter lets run together do overlap, however loaded the machine. */
  holdMs = 0;

  protected override async check(hash: string, password: string): Promise<boolean> {
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      if (this.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, this.holdMs));
      const ok = await super.check(hash, password);
      this.checked.push({ hash, ok });
      return ok;
    } finally {
      this.running -= 1;
    }
  }
}

/** The hash parameters of earlier versions (OWASP's 19 MiB row), as users created then have them. */
const EARLIER_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const HASH_CONCURRENCY = 2;

/** An in-memory stand-in for the repository; the database itself is covered by the e2e suites. */
class MemoryUsers {
  readonly rows = new Map<string, User>();
  async findByUsername(name: string) {
    return this.rows.get(name);
  }
  async replacePasswordHash(id: string, current: string, next: string) {
    const user = [...this.rows.values()].find((row) => row.id === id && row.passwordHash === current);
    if (user) this.rows.set(user.username, { ...user, passwordHash: next });
    return user !== undefined;
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
        { provide: passwordsConfig.KEY, useValue: { hashConcurrency: HASH_CONCURRENCY } },
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

  it('stores hashes with the documented parameters (OWASP m=7168 KiB, t=5, p=1)', async () => {
    const user = await users.create('heidi', 'correct horse');
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=7168,p=1,t=5\$/);
    expect(PASSWORD_HASH_OPTIONS).toMatchObject({ memoryCost: 7168, timeCost: 5, parallelism: 1 });
  });

  it('still accepts a hash of the earlier parameters, and replaces it by one of today after a good login', async () => {
    const earlier = await argon2.hash('correct horse', EARLIER_OPTIONS);
    const created = await users.create('ivan', 'placeholder');
    rows.rows.set('ivan', { ...created, passwordHash: earlier });

    expect(await users.authenticate('ivan', 'wrong horse')).toBeUndefined();
    expect(rows.rows.get('ivan')?.passwordHash).toBe(earlier);

    expect((await users.authenticate('ivan', 'correct horse'))?.username).toBe('ivan');
    const upgraded = rows.rows.get('ivan')!.passwordHash;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=7168,p=1,t=5\$/);
    expect(await argon2.verify(upgraded, 'correct horse')).toBe(true);
    expect(await users.authenticate('ivan', 'correct horse')).toBeDefined();
    expect(rows.rows.get('ivan')!.passwordHash).toBe(upgraded);
  });

  it('never upgrades the hash of a disabled user', async () => {
    const earlier = await argon2.hash('correct horse', EARLIER_OPTIONS);
    const created = await users.create('judy', 'placeholder');
    rows.rows.set('judy', { ...created, passwordHash: earlier, disabled: true });
    expect(await users.authenticate('judy', 'correct horse')).toBeUndefined();
    expect(rows.rows.get('judy')?.passwordHash).toBe(earlier);
  });

  it('runs at most PASSWORD_HASH_CONCURRENCY argon2 verifications at once; the others wait their turn', async () => {
    await users.create('kim', 'correct horse');
    hasher.holdMs = 50;
    const attempts = ['correct horse', 'wrong', 'correct horse', 'wrong', 'correct horse', 'wrong'];
    const answers = await Promise.all(attempts.map((password) => users.authenticate('kim', password)));
    expect(answers.map((user) => user !== undefined)).toEqual([true, false, true, false, true, false]);
    expect(hasher.checked).toHaveLength(attempts.length);
    expect(hasher.mostAtOnce).toBe(HASH_CONCURRENCY);
  });
});
