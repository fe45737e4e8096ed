import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { generateOpaqueSecret, hashOpaqueSecret, opaqueSecretMatches } from '../sso/opaque-secret.js';
import { CLOCK, type Clock } from '../time/clock.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { PageError } from './authorize-errors.js';
import { InteractionRepository } from './interaction.repository.js';

/** How long a user has to finish a sign-in or consent page. */
export const INTERACTION_TTL_MS = 15 * 60_000;

/** What an interaction is for: an authorization request, or a logout to confirm. */
export type InteractionPurpose =
  { kind: 'authorize'; request: AuthorizationRequest } | { kind: 'logout'; ssoSessionId: string; postLogoutRedirectUri?: string; state?: string };

export interface Interaction {
  id: string;
  purpose: InteractionPurpose;
  userId?: string;
  ssoSessionId?: string;
}

/** A new interaction: its CSRF token goes into the page's form, never stored (only its hash). */
export interface StartedInteraction {
  id: string;
  csrfToken: string;
}

/**
 * The pages' interactions (docs/oidc.md "Pages"): each is bound to the browser that
 * started it (the hash of its browser cookie) and its forms to a CSRF token of its own; a form
 * without both changes nothing and answers 403.
 */
@Injectable()
export class InteractionsService {
  constructor(
    private readonly repository: InteractionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `signedIn`: the user is known already (a consent page, a logout confirmation). */
  async start(purpose: InteractionPurpose, browserSecret: string, signedIn?: { userId: string; ssoSessionId: string }): Promise<StartedInteraction> {
    const now = this.clock.now();
    const id = randomUUID();
    const csrfToken = generateOpaqueSecret();
    await this.repository.insert(
      {
        id,
        browserHash: hashOpaqueSecret(browserSecret),
        csrfHash: hashOpaqueSecret(csrfToken),
        request: JSON.stringify(purpose),
        expiresAt: now + INTERACTION_TTL_MS,
        ...signedIn,
      },
      now,
    );
    return { id, csrfToken };
  }

  /** The interaction `id` of this browser (for showing its page); 404 page otherwise. */
  async forBrowser(id: string, browserSecret: string | undefined): Promise<Interaction> {
    const found = /^[0-9a-f-]{36}$/.test(id) ? await this.repository.findLive(id, this.clock.now()) : undefined;
    if (!found || !opaqueSecretMatches(browserSecret, found.browserHash)) {
      throw new PageError('This sign-in page has expired or was opened in another browser.', 404);
    }
    return { id: found.id, purpose: JSON.parse(found.request) as InteractionPurpose, userId: found.userId, ssoSessionId: found.ssoSessionId };
  }

  /** The interaction a form was posted to, only with this browser's cookie and the form's own CSRF token; 403 page otherwise. */
  async forForm(id: string, browserSecret: string | undefined, csrfToken: unknown): Promise<Interaction> {
    const found = /^[0-9a-f-]{36}$/.test(id) ? await this.repository.findLive(id, this.clock.now()) : undefined;
    const token = typeof csrfToken === 'string' ? csrfToken : undefined;
    if (!found || !opaqueSecretMatches(browserSecret, found.browserHash) || !opaqueSecretMatches(token, found.csrfHash)) {
      throw new PageError('This form has expired or did not come from this page. Nothing was changed; go back to the app and start again.', 403);
    }
    return { id: found.id, purpose: JSON.parse(found.request) as InteractionPurpose, userId: found.userId, ssoSessionId: found.ssoSessionId };
  }

  /** A new CSRF token for a page shown again (the old one stops working). */
  async renewCsrf(id: string): Promise<string> {
    const csrfToken = generateOpaqueSecret();
    await this.repository.setCsrf(id, hashOpaqueSecret(csrfToken));
    return csrfToken;
  }

  signIn(id: string, userId: string, ssoSessionId: string): Promise<boolean> {
    return this.repository.signIn(id, userId, ssoSessionId);
  }

  finish(id: string): Promise<boolean> {
    return this.repository.finish(id);
  }
}
