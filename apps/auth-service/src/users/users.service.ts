import { HttpMappedError, IssuerErrorCode } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../time/clock.js';
import { DummyHashes } from './dummy-hashes.js';
import { PasswordHasher } from './password-hasher.js';
import { DEFAULT_SCOPES, type User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** 409 `ERR_USERNAME_TAKEN`; the username is named in the reason (logs, the CLI), not in the answer. */
export class UsernameTakenError extends HttpMappedError {
  readonly status = 409;
  readonly code = IssuerErrorCode.UsernameTaken;

  constructor(username: string) {
    super('username is taken', `user "${username}" already exists`);
  }
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly dummies: DummyHashes,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates a user; throws UsernameTakenError when the name exists. */
  async create(username: string, password: string, scopes: string[] = DEFAULT_SCOPES): Promise<User> {
    const user: User = {
      id: randomUUID(),
      username,
      passwordHash: await this.hasher.hash(password),
      scopes,
      disabled: false,
      createdAt: this.clock.now(),
    };
    if (!(await this.users.insert(user))) throw new UsernameTakenError(username);
    return user;
  }

  /** Creates the user unless one of that name exists (any password); safe when two processes race. */
  async ensure(username: string, password: string): Promise<boolean> {
    if (await this.users.findByUsername(username)) return false;
    try {
      await this.create(username, password);
      return true;
    } catch (error) {
      if (error instanceof UsernameTakenError) return false;
      throw error;
    }
  }

  /**
   * The user whose password this is, or undefined. Unknown users are checked against a dummy hash
   * of a parameter set still in the table (DummyHashes), so both failures cost the same argon2 work;
   * disabled users fail like a wrong password. A hash made with older parameters is replaced, after
   * it verified, by one made with today's (once per user).
   */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const user = await this.users.findByUsername(username);
    const ok = await this.hasher.verify(user?.passwordHash ?? (await this.dummies.hashFor(username)), password);
    if (!ok || !user || user.disabled) return undefined;
    if (this.hasher.needsRehash(user.passwordHash)) await this.upgradeHash(user, password);
    return user;
  }

  /** Stores a hash of `password` (just verified) with today's parameters; a failure leaves the old, still valid, hash. */
  private async upgradeHash(user: User, password: string): Promise<void> {
    try {
      if (await this.users.replacePasswordHash(user.id, user.passwordHash, await this.hasher.hash(password), this.clock.now())) this.dummies.changed();
    } catch (error) {
      this.logger.warn(`password hash of user ${user.id} not upgraded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The user a session belongs to, if it still exists and is not disabled. */
  async findActive(id: string): Promise<User | undefined> {
    const user = await this.users.findById(id);
    return user && !user.disabled ? user : undefined;
  }

  /** The user of that name, disabled or not (operator commands). */
  findByUsername(username: string): Promise<User | undefined> {
    return this.users.findByUsername(username);
  }

  /** Disables or re-enables a user; undefined when there is no such user. Sessions are the caller's business. */
  setDisabled(username: string, disabled: boolean): Promise<User | undefined> {
    return this.users.setDisabled(username, disabled, this.clock.now());
  }

  list(): Promise<User[]> {
    return this.users.list();
  }
}
