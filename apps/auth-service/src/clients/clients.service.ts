import type { JwsAlgorithm } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { tokensConfig } from '../config/tokens.config.js';
import { idTokenAlgorithms } from '../keys/key-store.js';
import { CLOCK, type Clock } from '../time/clock.js';
import { RevocationService } from '../revocation/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { clientSecretMatches, generateClientSecret, hashClientSecret } from './client-secret.js';
import { type Client, DEFAULT_CLIENT, DEFAULT_CLIENT_ID, type GrantType } from './client.entity.js';
import { ClientsRepository } from './clients.repository.js';
import { registrationProblem } from './registration-rules.js';

/** A client id that is taken, or the built-in `default`, which no command may change. */
export class ClientIdUnavailableError extends Error {
  constructor(id: string, reason: 'taken' | 'built-in') {
    super(reason === 'taken' ? `client "${id}" already exists` : `client "${id}" is built in and cannot be changed`);
    this.name = 'ClientIdUnavailableError';
  }
}

/** A client's registration is refused (a redirect URI that is not allowed, a grant without what it needs). */
export class InvalidClientRegistrationError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'InvalidClientRegistrationError';
  }
}

export interface NewClient {
  id: string;
  grantTypes: GrantType[];
  scopes: string[];
  audiences: string[];
  /** The audiences it serves (empty: its own id). */
  serves: string[];
  /** May introspect other clients' tokens meant for what it serves. */
  introspect: boolean;
  /** Must present a DPoP proof at the token endpoint. */
  dpopBound: boolean;
  public: boolean;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  firstParty?: boolean;
  /** `--id-token-alg`: RS256 or JWT_ALGORITHM; absent: RS256. */
  idTokenAlg?: string;
}

/** A client and, for a confidential one, its secret: shown once, never stored. */
export interface RegisteredClient {
  client: Client;
  secret?: string;
}

/** Registered OAuth clients: registration, secrets, and ending a client's sessions when it is switched off. */
@Injectable()
export class ClientsService {
  /** The algorithms ID tokens are signed with here; a client may register one of them (`--id-token-alg`). */
  readonly idTokenAlgorithms: readonly JwsAlgorithm[];

  constructor(
    private readonly clients: ClientsRepository,
    private readonly sessions: SessionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly revocations: RevocationService,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.idTokenAlgorithms = idTokenAlgorithms(tokens.algorithm);
  }

  /** The client of that id, the built-in `default` included; disabled ones too (the caller decides). */
  async find(id: string): Promise<Client | undefined> {
    return id === DEFAULT_CLIENT_ID ? DEFAULT_CLIENT : this.clients.find(id);
  }

  /**
   * The enabled client that `secret` authenticates, or undefined. A confidential client needs its
   * secret; a public one must come without one. Unknown ids cost the same hash as wrong secrets.
   */
  async authenticate(id: string, secret: string | undefined): Promise<Client | undefined> {
    const client = await this.find(id);
    if (secret === undefined) return client && client.public && !client.disabled ? client : undefined;
    const matches = clientSecretMatches(secret, client?.secretHash ?? '0'.repeat(64));
    return client && matches && !client.public && !client.disabled ? client : undefined;
  }

  async register(spec: NewClient): Promise<RegisteredClient> {
    if (spec.id === DEFAULT_CLIENT_ID) throw new ClientIdUnavailableError(spec.id, 'built-in');
    const browser = { redirectUris: spec.redirectUris ?? [], postLogoutRedirectUris: spec.postLogoutRedirectUris ?? [], firstParty: spec.firstParty ?? false };
    const problem = registrationProblem({ ...spec, ...browser }, this.idTokenAlgorithms);
    if (problem) throw new InvalidClientRegistrationError(problem);
    const secret = spec.public ? undefined : generateClientSecret();
    const { idTokenAlg, ...rest } = spec;
    const client: Client = {
      ...rest,
      ...browser,
      ...(idTokenAlg !== undefined && { idTokenAlg: this.idTokenAlgorithms.find((alg) => alg === idTokenAlg) }),
      secretHash: secret && hashClientSecret(secret),
      disabled: false,
      createdAt: this.clock.now(),
    };
    if (!(await this.clients.insert(client))) throw new ClientIdUnavailableError(spec.id, 'taken');
    return { client, secret };
  }

  /** A new secret for a confidential client (the old one stops working at once); undefined when there is none such. */
  async rotateSecret(id: string): Promise<string | undefined> {
    this.refuseBuiltIn(id);
    const secret = generateClientSecret();
    return (await this.clients.setSecretHash(id, hashClientSecret(secret), this.clock.now())) ? secret : undefined;
  }

  /**
   * Disables (and ends every session of, and revokes every live access token of) or re-enables a
   * client; undefined when there is no such client. The client is switched off first, so no token is
   * issued after its `client_id` entry; a crash in between is mended by running the command again.
   */
  async setDisabled(id: string, disabled: boolean): Promise<{ endedSessions: number } | undefined> {
    this.refuseBuiltIn(id);
    if (!(await this.clients.setDisabled(id, disabled, this.clock.now()))) return undefined;
    if (!disabled) return { endedSessions: 0 };
    await this.revocations.revokeClient(id);
    return { endedSessions: await this.sessions.revokeAllForClient(id, 'client_disabled') };
  }

  /** Removes a client, revokes its live access tokens and ends its sessions; undefined when there is no such client. */
  async remove(id: string): Promise<{ endedSessions: number } | undefined> {
    this.refuseBuiltIn(id);
    if (!(await this.clients.remove(id))) return undefined;
    await this.revocations.revokeClient(id);
    return { endedSessions: await this.sessions.revokeAllForClient(id, 'client_removed') };
  }

  async list(): Promise<Client[]> {
    return [DEFAULT_CLIENT, ...(await this.clients.list())];
  }

  private refuseBuiltIn(id: string): void {
    if (id === DEFAULT_CLIENT_ID) throw new ClientIdUnavailableError(id, 'built-in');
  }
}
