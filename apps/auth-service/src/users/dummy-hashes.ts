import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { CLOCK, type Clock } from '../time/clock.js';
import { hashParameters, optionsOfParameters, PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';

/** How old the table of parameter sets may get before a login of an unknown user refreshes it (in the background). */
export const DUMMY_REFRESH_INTERVAL_MS = 10 * 60_000;

/** One parameter set still in the users table, its share of the users and a dummy hash made with it. */
export interface DummySet {
  parameters: string;
  users: number;
  hash: string;
}

interface Table {
  sets: DummySet[];
  total: number;
  key: Buffer;
}

/**
 * The hashes unknown usernames are verified against, so that "no such user" costs the argon2 work
 * of a real account (docs/sessions.md, "Login timing"). Hashes made with older parameters stay in
 * the table until their user logs in again, and cost a different time to verify than today's: one
 * dummy hash per parameter set still present, and an unknown username is verified against the set
 * a keyed hash of the name picks in proportion to the users who have it. So the time of an unknown
 * name is drawn from the same mixture as the accounts', and the same name always gets the same set
 * (a repeated probe sees no more variance than a real account shows). The key is derived from the
 * smallest stored hash of each set: unknown outside, the same on every replica.
 *
 * The table is read at start, after this process replaced a hash (a rehash moves a user to today's
 * set), and at most every DUMMY_REFRESH_INTERVAL_MS when an unknown user logs in (other replicas'
 * rehashes); always in the background of the login, which never waits for the database or a new dummy.
 */
@Injectable()
export class DummyHashes implements OnApplicationBootstrap {
  private readonly logger = new Logger(DummyHashes.name);
  /** Today's dummy: the answer while the table is empty or not read yet. */
  private readonly today: Promise<DummySet>;
  private table: Table | undefined;
  private readonly made = new Map<string, Promise<string>>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const hash = hasher.dummyHash();
    this.today = hash.then((made) => ({ parameters: hashParameters(made), users: 0, hash: made }));
    void this.today.then((set) => this.made.set(set.parameters, hash));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  /** The dummy hash `username` (not in the table) is verified against. */
  async hashFor(username: string): Promise<string> {
    if (this.clock.now() - this.refreshedAt >= DUMMY_REFRESH_INTERVAL_MS) void this.refresh();
    return (await this.setFor(username)).hash;
  }

  /** The parameter set `username` would be verified against (what the specs assert). */
  async setFor(username: string): Promise<DummySet> {
    const table = this.table;
    if (!table || table.total === 0) return this.today;
    let point = createHmac('sha256', table.key).update(username).digest().readUIntBE(0, 6) % table.total;
    for (const set of table.sets) {
      if (point < set.users) return set;
      point -= set.users;
    }
    return table.sets.at(-1)!;
  }

  /** A hash was replaced (a rehash): read the sets again, in the background. */
  changed(): void {
    void this.refresh();
  }

  /** Reads the parameter sets and makes a dummy for any new one; one run at a time, a call during a run queues one more. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.refreshedAt = this.clock.now();
    this.running = this.load()
      .catch((error: unknown) => this.logger.warn(`dummy hashes not refreshed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.running;
  }

  private async load(): Promise<void> {
    const rows = (await this.users.hashParameterSets()).sort((a, b) => (a.parameters < b.parameters ? -1 : a.parameters > b.parameters ? 1 : 0));
    await this.today;
    const sets: DummySet[] = [];
    for (const row of rows) {
      const options = optionsOfParameters(row.parameters);
      // A hash argon2 cannot read fails at once, with no argon2 work to imitate: left out.
      if (!options) continue;
      if (!this.made.has(row.parameters)) this.made.set(row.parameters, this.hasher.dummyHash(options));
      sets.push({ parameters: row.parameters, users: row.users, hash: await this.made.get(row.parameters)! });
    }
    const key = createHash('sha256')
      .update(rows.map((row) => row.least).join('\n'))
      .digest();
    this.table = { sets, total: sets.reduce((sum, set) => sum + set.users, 0), key };
  }
}
