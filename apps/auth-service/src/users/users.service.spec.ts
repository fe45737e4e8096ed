import { Test } from '@nestjs/testing';
import argon2 from 'argon2';
import { CLOCK } from '../time/clock.js';
import { passwordsConfig } from '../config/passwords.config.js';
import { DummyHashes } from './dummy-hashes.js';
import { hashParameters, normalizePassword, PASSWORD_HASH_OPTIONS, PasswordHasher } from './password-hasher.js';
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
  /** What the SQL of UsersRepository.hashParameterSets answers (the e2e suites run that SQL on both drivers). */
  async hashParameterSets() {
    const sets = new Map<string, { parameters: string; users: number; least: string }>();
    for (const { passwordHash } of this.rows.values()) {
      const parameters = hashParameters(passwordHash);
      const set = sets.get(parameters) ?? { parameters, users: 0, least: passwordHash };
      sets.set(parameters, { parameters, users: set.users + 1, least: passwordHash < set.least ? passwordHash : set.least });
    }
    return [...sets.values()];
  }
}

const TODAY_SET = '$argon2id$v=19$m=7168,p=1,t=5';
const EARLIER_SET = '$argon2id$v=19$m=19456,p=1,t=2';

describe('UsersService', () => {
  let users: UsersService;
  let hasher: RecordingHasher;
  let rows: MemoryUsers;
  let dummies: DummyHashes;

  beforeEach(async () => {
    rows = new MemoryUsers();
    const module = await Test.createTestingModule({
      providers: [
        UsersService,
        DummyHashes,
        { provide: PasswordHasher, useClass: RecordingHasher },
        { provide: UsersRepository, useValue: rows },
        { provide: CLOCK, useValue: { now: () => 1_000 } },
        { provide: passwordsConfig.KEY, useValue: { hashConcurrency: HASH_CONCURRENCY } },
      ],
    }).compile();
    users = module.get(UsersService);
    hasher = module.get(PasswordHasher) as RecordingHasher;
    dummies = module.get(DummyHashes);
  });

  /** Puts users with a hash of the earlier parameters in the table, as users created before the change have them. */
  async function earlierUsers(...names: string[]): Promise<void> {
    const earlier = await argon2.hash('correct horse', EARLIER_OPTIONS);
    for (const name of names) rows.rows.set(name, { ...(await users.create(name, 'placeholder')), passwordHash: earlier });
  }

  /** The parameter sets of the hashes the unknown-user path verified, in order (the dummies: no known user's hash). */
  const dummySetsVerified = (known: Set<string>) => hasher.checked.filter((c) => !known.has(c.hash)).map((c) => hashParameters(c.hash));

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

  it('verifies an unknown user against a dummy of the parameter set still in the table: the earlier one when every user has it', async () => {
    await earlierUsers('olga', 'oscar');
    await dummies.refresh();
    const known = new Set([...rows.rows.values()].map((u) => u.passwordHash));

    for (const name of ['nobody', 'ghost', 'olgaa']) expect(await users.authenticate(name, 'correct horse')).toBeUndefined();
    expect(dummySetsVerified(known)).toEqual([EARLIER_SET, EARLIER_SET, EARLIER_SET]);
    // An account of the earlier set does the same argon2 work.
    expect(await users.authenticate('olga', 'wrong horse')).toBeUndefined();
    expect(hashParameters(hasher.checked.at(-1)!.hash)).toBe(EARLIER_SET);
  });

  it('picks the set of an unknown name in proportion to the users who have it, the same set every time for one name', async () => {
    await earlierUsers('e1', 'e2', 'e3');
    await users.create('t1', 'correct horse');
    await dummies.refresh();
    const names = Array.from({ length: 4_000 }, (_, i) => `unknown-${i}`);
    const sets = await Promise.all(names.map(async (name) => (await dummies.setFor(name)).parameters));
    const earlierShare = sets.filter((set) => set === EARLIER_SET).length / names.length;
    expect(earlierShare).toBeGreaterThan(0.7);
    expect(earlierShare).toBeLessThan(0.8);
    expect(new Set(sets)).toEqual(new Set([EARLIER_SET, TODAY_SET]));
    for (const name of names.slice(0, 50)) expect((await dummies.setFor(name)).parameters).toBe(sets[names.indexOf(name)]);
  });

  it("reads the sets again after a rehash: once the last earlier hash is replaced, unknown names get today's set", async () => {
    await earlierUsers('ivy');
    await dummies.refresh();
    expect((await dummies.setFor('nobody')).parameters).toBe(EARLIER_SET);

    expect(await users.authenticate('ivy', 'correct horse')).toBeDefined();
    for (let i = 0; i < 200 && (await dummies.setFor('nobody')).parameters !== TODAY_SET; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect((await dummies.setFor('nobody')).parameters).toBe(TODAY_SET);
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
