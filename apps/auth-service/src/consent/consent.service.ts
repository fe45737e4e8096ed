import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { ConsentRepository } from './consent.repository.js';

/**
 * The consent memory (docs/oidc.md "Consent"): a user is asked once per client and scope
 * set; a request that adds scopes asks again, and what is allowed then is added to what was.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly repository: ConsentRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Whether the user already allowed the client every scope of `scope`. */
  async covers(userId: string, clientId: string, scope: readonly string[]): Promise<boolean> {
    const allowed = await this.repository.find(userId, clientId);
    return scope.every((s) => allowed.includes(s));
  }

  async remember(userId: string, clientId: string, scope: readonly string[]): Promise<void> {
    const allowed = await this.repository.find(userId, clientId);
    await this.repository.save(userId, clientId, [...new Set([...allowed, ...scope])], this.clock.now());
  }
}
