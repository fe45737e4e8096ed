import { isJwsAlgorithm } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import { type Client, type GrantType, isGrantType } from './client.entity.js';

interface ClientRow {
  id: string;
  secret_hash: string | null;
  grant_types: string;
  scopes: string;
  audiences: string;
  serves: string;
  introspect: number;
  dpop_bound: number;
  public: number;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  first_party: number;
  id_token_alg: string | null;
  disabled: number;
  created_at: number;
}

const list = (text: string): string[] => text.split(' ').filter(Boolean);

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    secretHash: row.secret_hash ?? undefined,
    grantTypes: list(row.grant_types).filter(isGrantType) as GrantType[],
    scopes: list(row.scopes),
    audiences: list(row.audiences),
    serves: list(row.serves),
    introspect: Number(row.introspect) === 1,
    dpopBound: Number(row.dpop_bound) === 1,
    public: Number(row.public) === 1,
    redirectUris: list(row.redirect_uris),
    postLogoutRedirectUris: list(row.post_logout_redirect_uris),
    firstParty: Number(row.first_party) === 1,
    ...(isJwsAlgorithm(row.id_token_alg) && { idTokenAlg: row.id_token_alg }),
    disabled: Number(row.disabled) === 1,
    createdAt: Number(row.created_at),
  };
}

/** Registered clients in the shared database (embedded or PostgreSQL). */
@Injectable()
export class ClientsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async find(id: string): Promise<Client | undefined> {
    const [row] = await this.db.query<ClientRow>('SELECT * FROM clients WHERE id = $1', [id]);
    return row ? toClient(row) : undefined;
  }

  async list(): Promise<Client[]> {
    return (await this.db.query<ClientRow>('SELECT * FROM clients ORDER BY id')).map(toClient);
  }

  /** Inserts the client unless the id is taken; returns whether it was inserted. */
  async insert(client: Client): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO clients (id, secret_hash, grant_types, scopes, audiences, serves, introspect, public, disabled, created_at, updated_at, dpop_bound,
         redirect_uris, post_logout_redirect_uris, first_party, id_token_alg)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, $15) ON CONFLICT (id) DO NOTHING`,
      [
        client.id,
        client.secretHash ?? null,
        client.grantTypes.join(' '),
        (client.scopes ?? []).join(' '),
        client.audiences.join(' '),
        client.serves.join(' '),
        client.introspect ? 1 : 0,
        client.public ? 1 : 0,
        client.disabled ? 1 : 0,
        client.createdAt,
        client.dpopBound ? 1 : 0,
        client.redirectUris.join(' '),
        client.postLogoutRedirectUris.join(' '),
        client.firstParty ? 1 : 0,
        client.idTokenAlg ?? null,
      ],
    );
    return changed === 1;
  }

  /** Replaces a confidential client's secret hash; false when there is no such confidential client. */
  async setSecretHash(id: string, secretHash: string, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE clients SET secret_hash = $2, updated_at = $3 WHERE id = $1 AND public = 0', [id, secretHash, now])) === 1;
  }

  async setDisabled(id: string, disabled: boolean, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE clients SET disabled = $2, updated_at = $3 WHERE id = $1', [id, disabled ? 1 : 0, now])) === 1;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM clients WHERE id = $1', [id])) === 1;
  }
}
