import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { CLOCK } from '../common/clock.js';
import { normalizePassword, PasswordHasher } from './password-hasher.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { UsernameTakenError, UsersService } from './users.service.js';

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
  let hasher: PasswordHasher;
  let rows: MemoryUsers;

  beforeEach(async () => {
    rows = new MemoryUsers();
    const module = await Test.createTestingModule({
      providers: [UsersService, PasswordHasher, { provide: UsersRepository, useValue: rows }, { provide: CLOCK, useValue: { now: () => 1_000 } }],
    }).compile();
    users = module.get(UsersService);
    hasher = module.get(PasswordHasher);
  });

  it('stores an argon2id hash, never the password', async () => {
    const user = await users.create('alice', 'correct horse');
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(user.passwordHash).not.toContain('correct horse');
  });

  it('authenticates the right password only', async () => {
    await users.create('alice', 'correct horse');
    expect((await users.authenticate('alice', 'correct horse'))?.username).toBe('alice');
    expect(await users.authenticate('alice', 'wrong horse')).toBeUndefined();
  });

  it('checks an unknown user against a dummy hash, like a wrong password', async () => {
    const verify = jest.spyOn(hasher, 'verify');
    expect(await users.authenticate('nobody', 'whatever')).toBeUndefined();
    expect(verify).toHaveBeenCalledWith(undefined, 'whatever');
    await expect(verify.mock.results[0].value).resolves.toBe(false);
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
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false);
  });
});
