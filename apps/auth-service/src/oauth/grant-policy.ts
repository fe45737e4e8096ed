import type { TokenRequestDto } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { tokensConfig } from '../config/tokens.config.js';
import type { Client } from '../clients/client.entity.js';
import { shown } from '../http/request-text.js';
import { invalidRequest, invalidScope, OAuthError } from './oauth.error.js';

/**
 * RFC 6749 3.3: the scopes a token gets. No `scope` (or an empty one): everything allowed. A `scope`
 * naming anything beyond what is allowed is refused whole, not trimmed, so a client learns at once
 * that its registration lacks a scope. The refusal names the scopes it refused only when they are
 * scope tokens (RFC 6749 3.3); anything else is `(not shown)`.
 */
export function grantScope(requested: string | undefined, allowed: readonly string[]): string[] {
  const wanted = (requested ?? '').split(' ').filter(Boolean);
  if (wanted.length === 0) return [...allowed];
  const beyond = wanted.filter((s) => !allowed.includes(s));
  if (beyond.length > 0)
    throw invalidScope(`not allowed for this client${allowed.length ? '' : ' (it has no scopes)'}: ${[...new Set(beyond.map(shown))].join(' ')}`);
  return [...new Set(wanted)];
}

/**
 * RFC 8707: the audience a token gets, from `resource` or `audience` (one of them, one value). It
 * must be one of the client's registered audiences or a default one; undefined means the default
 * `AUTH_AUDIENCE`.
 */
export function grantAudience(body: Pick<TokenRequestDto, 'resource' | 'audience'>, client: Client, defaults: readonly string[]): string | undefined {
  const requested = requestedAudience(body);
  if (requested === undefined) return undefined;
  if (!client.audiences.includes(requested) && !defaults.includes(requested)) throw invalidTarget();
  return requested;
}

/** The audience a request names with `resource` or `audience` (one value; both only if equal); undefined for none. */
export function requestedAudience(body: Pick<TokenRequestDto, 'resource' | 'audience'>): string | undefined {
  if (body.resource !== undefined && body.audience !== undefined && body.resource !== body.audience) {
    throw invalidRequest('send resource or audience, not two different ones');
  }
  const requested = body.resource ?? body.audience;
  return requested === '' ? undefined : requested;
}

/** RFC 8707 2: an audience the client may not get tokens for. */
export const invalidTarget = () => new OAuthError('invalid_target', 'this client may not get tokens for that resource');

/** `grantAudience` with the service's default audiences (`AUTH_AUDIENCE`), for every grant handler. */
@Injectable()
export class GrantAudiences {
  private readonly defaults: readonly string[];

  constructor(@Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>) {
    this.defaults = tokens.audiences;
  }

  /** The audience `body` asks for through `client`; undefined means the default. */
  of(body: Pick<TokenRequestDto, 'resource' | 'audience'>, client: Client): string | undefined {
    return grantAudience(body, client, this.defaults);
  }
}
