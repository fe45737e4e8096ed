import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';

/** What an authorization code is bound to (docs/oidc.md "Codes"). */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  /** The thumbprint of the DPoP key the authorization request bound it to (RFC 9449 §10). */
  dpopJkt?: string;
  nonce?: string;
  scope: string[];
  audience?: string;
  userId: string;
  ssoSessionId: string;
  /** Epoch ms of the password sign-in behind it. */
  authTime: number;
}

export interface StoredCode extends CodeGrant {
  expiresAt: number;
  usedAt?: number;
  /** The app session its first redemption started. */
  appSessionId?: string;
}

interface CodeRow {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  dpop_jkt: string | null;
  nonce: string | null;
  scope: string;
  audience: string | null;
  user_id: string;
  sso_session_id: string;
  auth_time: number;
  expires_at: number;
  used_at: number | null;
  app_session_id: string | null;
}

const toCode = (row: CodeRow): StoredCode => ({
  clientId: row.client_id,
  redirectUri: row.redirect_uri,
  codeChallenge: row.code_challenge,
  dpopJkt: row.dpop_jkt ?? undefined,
  nonce: row.nonce ?? undefined,
  scope: row.scope.split(' ').filter(Boolean),
  audience: row.audience ?? undefined,
  userId: row.user_id,
  ssoSessionId: row.sso_session_id,
  authTime: Number(row.auth_time),
  expiresAt: Number(row.expires_at),
  usedAt: row.used_at === null ? undefined : Number(row.used_at),
  appSessionId: row.app_session_id ?? undefined,
});

/** How long a code's row outlives the code, to recognise its reuse. */
const CODE_MEMORY_MS = 3_600_000;

/** Authorization codes by SHA-256, in the shared database: a code issued by one replica redeems at another. */
@Injectable()
export class AuthorizationCodeRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(codeHash: string, grant: CodeGrant, expiresAt: number): Promise<void> {
    await this.db.run(
      `INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge, nonce, scope, audience, user_id, sso_session_id, auth_time, expires_at, dpop_jkt)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        codeHash,
        grant.clientId,
        grant.redirectUri,
        grant.codeChallenge,
        grant.nonce ?? null,
        grant.scope.join(' '),
        grant.audience ?? null,
        grant.userId,
        grant.ssoSessionId,
        grant.authTime,
        expiresAt,
        grant.dpopJkt ?? null,
      ],
    );
  }

  /**
   * Marks an unused, unexpired code used by the app session `appSessionId` and returns it; of
   * concurrent redemptions exactly one wins (the conditional UPDATE, as for refresh tokens). A code
   * bound to a DPoP key is claimed only by a request that proved that key (`dpopJkt`): any other
   * leaves it as it was.
   */
  async claim(codeHash: string, appSessionId: string, now: number, dpopJkt?: string): Promise<StoredCode | undefined> {
    const [row] = await this.db.query<CodeRow>(
      `UPDATE authorization_codes SET used_at = $2, app_session_id = $3
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 AND (dpop_jkt IS NULL OR dpop_jkt = $4) RETURNING *`,
      [codeHash, now, appSessionId, dpopJkt ?? null],
    );
    return row ? toCode(row) : undefined;
  }

  /** Records that a used code was presented again (the first time only). */
  async markReused(codeHash: string, now: number): Promise<void> {
    await this.db.run('UPDATE authorization_codes SET reused_at = $2 WHERE code_hash = $1 AND reused_at IS NULL', [codeHash, now]);
  }

  /** Whether a second use of the code has been recorded. */
  async wasReused(codeHash: string): Promise<boolean> {
    const [row] = await this.db.query<{ reused_at: number | string | null }>('SELECT reused_at FROM authorization_codes WHERE code_hash = $1', [codeHash]);
    return row?.reused_at != null;
  }

  async find(codeHash: string): Promise<StoredCode | undefined> {
    const [row] = await this.db.query<CodeRow>('SELECT * FROM authorization_codes WHERE code_hash = $1', [codeHash]);
    return row ? toCode(row) : undefined;
  }

  /** Codes an hour past their life: kept that long so that a late reuse is still recognised (and revokes). */
  prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM authorization_codes WHERE expires_at <= $1', [now - CODE_MEMORY_MS]);
  }
}
