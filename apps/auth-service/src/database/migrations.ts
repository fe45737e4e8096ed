import type { Database } from './database.js';

/** A migration's statements: portable SQL, or one list per dialect where the two differ (an auto-increment key). */
type Statements = string[] | Record<Database['dialect'], string[]>;

/**
 * The schema, in order. Portable SQL for SQLite and PostgreSQL: text ids, BIGINT epoch milliseconds,
 * INTEGER flags. Append new entries; never edit an applied one.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: Statements }[] = [
  {
    version: 1,
    name: 'users',
    sql: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        scopes TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'signing_keys',
    sql: [
      `CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        sealed_private_key TEXT,
        owner TEXT,
        created_at BIGINT NOT NULL,
        activates_at BIGINT NOT NULL,
        deprecates_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT
      )`,
    ],
  },
  {
    version: 3,
    name: 'sessions',
    sql: [
      // One row per login: the session. expires_at is its absolute end (SESSION_MAX_AGE).
      `CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT
      )`,
      'CREATE INDEX refresh_families_user_id ON refresh_families (user_id)',
      'CREATE INDEX refresh_families_expires_at ON refresh_families (expires_at)',
      // One row per refresh token ever issued, by SHA-256 of the token; used_at marks it rotated.
      `CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
        issued_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      )`,
      'CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id)',
      'CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at)',
      // Failure counters of the brute-force defence, shared by every replica.
      `CREATE TABLE throttle_counters (
        counter_key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure_at BIGINT NOT NULL,
        locked_until BIGINT NOT NULL,
        forget_at BIGINT NOT NULL
      )`,
      'CREATE INDEX throttle_counters_forget_at ON throttle_counters (forget_at)',
    ],
  },
  {
    version: 4,
    name: 'clients',
    sql: [
      // OAuth clients (docs/oauth.md). secret_hash is the SHA-256 of the secret, NULL for public clients;
      // grant_types, scopes and audiences are space-separated lists.
      `CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        secret_hash TEXT,
        grant_types TEXT NOT NULL,
        scopes TEXT NOT NULL,
        audiences TEXT NOT NULL,
        public INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      // Which client a session belongs to, and what its access tokens carry (NULL: the user's scopes, the default audience).
      "ALTER TABLE refresh_families ADD COLUMN client_id TEXT NOT NULL DEFAULT 'default'",
      'ALTER TABLE refresh_families ADD COLUMN scope TEXT',
      'ALTER TABLE refresh_families ADD COLUMN audience TEXT',
      'CREATE INDEX refresh_families_client_id ON refresh_families (client_id)',
    ],
  },
  {
    version: 5,
    name: 'revocations',
    // The revocation feed (docs/revocation.md): id is the feed's cursor, so it must never be reused
    // (AUTOINCREMENT on SQLite; a sequence on PostgreSQL). type is sid, jti or client_id.
    sql: {
      sqlite: [
        `CREATE TABLE revocations (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          type TEXT NOT NULL,
          value TEXT NOT NULL,
          revoked_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        )`,
        'CREATE INDEX revocations_expires_at ON revocations (expires_at)',
        'CREATE INDEX revocations_value ON revocations (value)',
      ],
      postgres: [
        `CREATE TABLE revocations (
          id BIGSERIAL PRIMARY KEY,
          type TEXT NOT NULL,
          value TEXT NOT NULL,
          revoked_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        )`,
        'CREATE INDEX revocations_expires_at ON revocations (expires_at)',
        'CREATE INDEX revocations_value ON revocations (value)',
      ],
    },
  },
  {
    version: 6,
    name: 'revocations_unique',
    // One feed entry per (type, value) (docs/revocation.md "One entry per id"): duplicates written
    // before this migration collapse into the newest row of each pair (the latest revoked_at, which a
    // client_id entry needs), kept until the latest expires_at of the pair; then the unique index that
    // every insert relies on. sid and client_id attribute a jti entry to its token's session and client,
    // for the budgets; the feed never serves them.
    sql: [
      `UPDATE revocations SET expires_at = (SELECT MAX(d.expires_at) FROM revocations d WHERE d.type = revocations.type AND d.value = revocations.value)
       WHERE id IN (SELECT MAX(id) FROM revocations GROUP BY type, value HAVING COUNT(*) > 1)`,
      'DELETE FROM revocations WHERE id NOT IN (SELECT MAX(id) FROM revocations GROUP BY type, value)',
      'CREATE UNIQUE INDEX revocations_type_value ON revocations (type, value)',
      'DROP INDEX revocations_value',
      'ALTER TABLE revocations ADD COLUMN sid TEXT',
      'ALTER TABLE revocations ADD COLUMN client_id TEXT',
      'CREATE INDEX revocations_sid ON revocations (sid)',
      'CREATE INDEX revocations_client_id ON revocations (client_id)',
    ],
  },
  {
    version: 7,
    name: 'clients_serves_introspect',
    // Service identity (docs/oauth.md "Introspection"): the audiences a client serves (space-separated;
    // empty: its own id) and whether it may introspect other clients' tokens meant for them.
    sql: ["ALTER TABLE clients ADD COLUMN serves TEXT NOT NULL DEFAULT ''", 'ALTER TABLE clients ADD COLUMN introspect INTEGER NOT NULL DEFAULT 0'],
  },
  {
    version: 8,
    name: 'dpop',
    // DPoP (docs/dpop.md): clients that must present a proof; the key a public client's session (its
    // refresh tokens) is bound to (RFC 7638 thumbprint); the proofs' `jti` records (a digest of key
    // and jti, kept until the proof could no longer be accepted, pruned); secrets every replica
    // shares, such as the one DPoP nonces are derived from (created once, by whichever replica is first).
    sql: [
      'ALTER TABLE clients ADD COLUMN dpop_bound INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE refresh_families ADD COLUMN dpop_jkt TEXT',
      'CREATE TABLE dpop_replays (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)',
      'CREATE INDEX dpop_replays_expires_at ON dpop_replays (expires_at)',
      'CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at BIGINT NOT NULL)',
    ],
  },
  {
    version: 9,
    name: 'browser_sign_in',
    sql: [
      // Clients of the authorization code flow (docs/oidc.md): space-separated URI lists
      // (registration refuses whitespace in a URI) and whether consent is skipped.
      "ALTER TABLE clients ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT ''",
      'ALTER TABLE clients ADD COLUMN first_party INTEGER NOT NULL DEFAULT 0',
      // Single sign-on sessions: id is public (the ID token's sid), secret_hash the SHA-256 of the cookie's value.
      `CREATE TABLE sso_sessions (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        auth_time BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        ended_at BIGINT
      )`,
      'CREATE INDEX sso_sessions_expires_at ON sso_sessions (expires_at)',
      // The app sessions a sign-in started, so ending the SSO session ends them.
      'ALTER TABLE refresh_families ADD COLUMN sso_session_id TEXT',
      'CREATE INDEX refresh_families_sso_session_id ON refresh_families (sso_session_id)',
      // An authorization request waiting for the user (sign-in or consent); the browser_hash binds it
      // to the browser that started it, the csrf_hash to its forms.
      `CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        browser_hash TEXT NOT NULL,
        csrf_hash TEXT NOT NULL,
        request TEXT NOT NULL,
        user_id TEXT,
        sso_session_id TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      'CREATE INDEX interactions_expires_at ON interactions (expires_at)',
      // What a user allowed a client (space-separated scopes), remembered across sign-ins.
      `CREATE TABLE consents (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, client_id)
      )`,
      // Authorization codes by SHA-256; used_at marks a redeemed one, app_session_id what it started.
      `CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        nonce TEXT,
        scope TEXT NOT NULL,
        audience TEXT,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        sso_session_id TEXT NOT NULL,
        auth_time BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        app_session_id TEXT
      )`,
      'CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at)',
    ],
  },
  {
    version: 10,
    name: 'id_token_keys',
    sql: [
      // ID tokens are RS256 (docs/oidc.md "Tokens"): with another JWT_ALGORITHM the managed key store
      // keeps a second chain of keys for them; every key written before is an access-token key.
      "ALTER TABLE signing_keys ADD COLUMN purpose TEXT NOT NULL DEFAULT 'access'",
      // The algorithm a client's ID tokens are signed with (`--id-token-alg`); NULL: RS256.
      'ALTER TABLE clients ADD COLUMN id_token_alg TEXT',
    ],
  },
  {
    version: 11,
    name: 'authorization_codes_dpop_jkt',
    // RFC 9449 §10 (docs/dpop.md "Binding the code"): the thumbprint of the DPoP key an authorization
    // request's `dpop_jkt` bound its code to; null for an unbound code (every code issued before).
    // Interactions need no column: they keep the whole request as JSON.
    sql: ['ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT'],
  },
  {
    version: 12,
    name: 'authorization_codes_reused_at',
    // When a used code was presented again (docs/oidc.md "Codes"): the redemption that claimed it reads
    // this after storing its session, so a second use that came before that session existed still ends it.
    sql: ['ALTER TABLE authorization_codes ADD COLUMN reused_at BIGINT'],
  },
];

/**
 * Applies the missing migrations inside one exclusive transaction (an advisory lock on PostgreSQL,
 * BEGIN IMMEDIATE on SQLite), so two processes starting at once apply each migration exactly once.
 * Returns the versions this call applied. `migrations` is the whole list but in tests (a schema
 * brought up to an earlier version first).
 */
export async function migrate(db: Database, now: number, migrations: typeof MIGRATIONS = MIGRATIONS): Promise<number[]> {
  return db.exclusive(async (tx) => {
    await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      for (const statement of Array.isArray(migration.sql) ? migration.sql : migration.sql[db.dialect]) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
      applied.push(migration.version);
    }
    return applied;
  });
}
