import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../time/clock.js';
import type { KeysConfig } from '../../config/keys.config.js';
import type { TokensConfig } from '../../config/tokens.config.js';
import type { Database, Queryable } from '../../database/database.js';
import { publishJwks } from '../jwks-document.js';
import { importManagedKey, type SigningKey } from '../key-material.js';
import { ID_TOKEN_KEY_ALGORITHM, needsIdTokenKey, type KeyLifecycle, type KeyStore, type PublishedJwks } from '../key-store.js';
import { KeyCipher } from './key-cipher.js';
import { canSign, isPublished, KEY_STATES, keyState, latestActivation, type KeyPurpose, type KeyRecord, type KeyState } from './key-record.js';
import { keyRepository } from './key.repository.js';
import { NextKey, sealingContext, type PreparedKey } from './next-key.js';
import { planKeys, publicationMargin, type PlannedChange, type RotationPolicy } from './rotation-plan.js';
import { nextWake } from './sync-schedule.js';

/** Kept here too for callers that imported it from the store. */
export { sealingContext };

const logger = new Logger('ManagedKeyStore');

/** After a failed sync, the table is read again this soon (or at KEY_SYNC_INTERVAL if shorter). */
const RETRY_MS = 1000;
/** Shortest wait between two timed syncs, so a clock that does not move cannot make them spin. */
const MIN_WAKE_MS = 20;
/** Least time between two syncs kicked by a request that found no signing key. */
const KICK_MS = 250;

export function rotationPolicy(keys: KeysConfig, tokens: TokensConfig): RotationPolicy {
  return {
    algorithm: keys.algorithm,
    rotationIntervalMs: keys.managed.rotationIntervalMs,
    activationDelayMs: keys.managed.activationDelayMs,
    retentionMs: keys.managed.retentionMs,
    accessTokenTtlMs: tokens.accessTokenTtlMs,
    clockToleranceMs: tokens.clockToleranceMs,
    syncIntervalMs: keys.managed.syncIntervalMs,
  };
}

/**
 * `KEYS_SOURCE=managed`: keys generated in-process, rotated on the schedule of docs/key-rotation.md, their public
 * halves and timestamps in the `signing_keys` table that every replica reads.
 *
 * - Shared mode (KEYS_ENCRYPTION_SECRET set): private keys are stored sealed with AES-256-GCM; every
 *   replica opens them into non-extractable CryptoKeys and signs with the same key. Rotations are
 *   decided and written under the database-wide lock, so the cluster rotates once per interval.
 * - Per-replica mode (no secret): each replica generates its own keys, which never leave its memory;
 *   the table still lists every replica's public keys, so all replicas serve the same JWKS.
 *
 * Every replica re-reads the table (and runs the rotations due) at each KEY_SYNC_INTERVAL and, in
 * between, at the instants the schedule changes (`nextWake`): a successor is created when it is due, not
 * at the next tick, and another replica's successor is read before it signs. States are derived from
 * the timestamps and the clock at each call: a key starts and stops signing on time between syncs.
 * The next key is generated ahead (`NextKey`), so a rotation only writes a row.
 *
 * With a JWT_ALGORITHM other than RS256 there are two chains of keys, each on this schedule: the
 * access-token keys and the RS256 ID-token keys (`purpose`), both in the JWKS (docs/key-rotation.md).
 */
export class ManagedKeyStore implements KeyStore {
  private records: KeyRecord[] = [];
  private readonly signers = new Map<string, SigningKey>();
  private published?: { jwks: PublishedJwks; validUntil: number };
  private syncing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private lastKick = 0;
  /** The key of each chain last reported signing past its interval (one warning per key). */
  private readonly overdueKids = new Map<KeyPurpose, string>();
  private failing = false;
  /** Timed syncs run from open() until close(). */
  private scheduling = false;
  private closed = false;
  private readonly cipher?: KeyCipher;
  /** The next key of each chain, generated ahead; the ID-token chain's only while JWT_ALGORITHM is not RS256. */
  private readonly nextKeys: Record<KeyPurpose, NextKey>;
  /** This process in per-replica mode; undefined in shared mode (cluster keys have no owner). */
  readonly replicaId?: string;

  private constructor(
    private readonly config: KeysConfig,
    private readonly policy: RotationPolicy,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    const secret = config.managed.encryptionSecret;
    if (secret) this.cipher = new KeyCipher(secret);
    else this.replicaId = randomUUID();
    this.nextKeys = {
      access: new NextKey(config.algorithm, config.rsaBits, this.cipher),
      id_token: new NextKey(ID_TOKEN_KEY_ALGORITHM, config.rsaBits, this.cipher),
    };
  }

  /** Loads the key table, creates or activates what is due, and keeps doing so at the instants `nextWake` names. */
  static async open(config: KeysConfig, tokens: TokensConfig, db: Database, clock: Clock): Promise<ManagedKeyStore> {
    const store = new ManagedKeyStore(config, rotationPolicy(config, tokens), db, clock);
    await store.sync();
    const key = store.signingKey();
    const idKey = store.idTokenKey();
    const mode = store.cipher ? 'shared encrypted key set' : `per-replica keys (replica ${store.replicaId?.slice(0, 8)})`;
    const idTokens = idKey && idKey !== key ? `, ID tokens with ${idKey.alg} key ${idKey.kid}` : '';
    logger.log(
      `managed keys, ${mode}: ${key ? `signing with ${key.alg} key ${key.kid}${idTokens}` : 'no key signs yet'}; ${store.jwks().document.keys.length} key(s) published`,
    );
    store.scheduling = true;
    store.arm(false);
    store.prepareNextKeys();
    return store;
  }

  get mode(): 'shared' | 'per-replica' {
    return this.cipher ? 'shared' : 'per-replica';
  }

  signingKey(): SigningKey | undefined {
    return this.signer('access');
  }

  /** The access-token key while it is RS256 (also while JWT_ALGORITHM changes to or from RS256), else the ID-token chain's key. */
  idTokenKey(): SigningKey | undefined {
    const access = this.signer('access');
    return access?.alg === ID_TOKEN_KEY_ALGORITHM ? access : this.signer('id_token');
  }

  /** The key of one chain in its signing window, else the overdue one (below), else undefined. */
  private signer(purpose: KeyPurpose): SigningKey | undefined {
    if (this.closed) return undefined;
    const now = this.clock.now();
    const chain = this.records.filter((key) => key.purpose === purpose && this.signers.has(key.kid));
    const current = latestActivation(chain.filter((key) => canSign(key, now)));
    if (current) return this.signers.get(current.kid);
    if (this.scheduling && now - this.lastKick >= KICK_MS) {
      // Self-heal: read the table now rather than at the next wake.
      this.lastKick = now;
      void this.sync().catch(() => undefined);
    }
    const overdue = this.overdueSigner(chain, purpose, now);
    return overdue && this.signers.get(overdue.kid);
  }

  /**
   * The key whose signing window ended while its successor is not here yet (the sync that brings or
   * creates it is late: a starved CPU, a slow database): it signs on while every token it signs now
   * still expires, clock tolerance included, before the key leaves the JWKS. The sync kicked above then
   * writes the late-rotation schedule (docs/key-rotation.md, "Late rotation"). A revoked or expired key,
   * or one that never signed, is never used; without such a key the request answers 503.
   */
  private overdueSigner(chain: readonly KeyRecord[], purpose: KeyPurpose, now: number): KeyRecord | undefined {
    const lastSigner = latestActivation(chain.filter((key) => key.activatesAt <= now));
    if (!lastSigner || !isPublished(lastSigner, now)) return undefined;
    const tokensVerifyUntil = now + this.policy.accessTokenTtlMs + this.policy.clockToleranceMs;
    if (tokensVerifyUntil >= lastSigner.expiresAt) return undefined;
    if (this.overdueKids.get(purpose) !== lastSigner.kid) {
      this.overdueKids.set(purpose, lastSigner.kid);
      logger.warn(`key ${lastSigner.kid} signs past the end of its interval: its successor is late; the key table is read again now`);
    }
    return lastSigner;
  }

  jwks(): PublishedJwks {
    const now = this.clock.now();
    if (this.published && now < this.published.validUntil) return this.published.jwks;
    const keys = this.records.filter((key) => isPublished(key, now)).sort((a, b) => b.activatesAt - a.activatesAt);
    const validUntil = Math.min(...keys.map((key) => key.expiresAt));
    this.published = { jwks: publishJwks(keys.map((key) => key.publicJwk)), validUntil };
    return this.published.jwks;
  }

  lifecycle(): KeyLifecycle {
    const now = this.clock.now();
    const states = Object.fromEntries(KEY_STATES.map((state) => [state, 0])) as Record<KeyState, number>;
    for (const key of this.records) states[keyState(key, now)] += 1;
    // The earliest end of signing among this process's chains (access-token keys, ID-token keys).
    const ends = this.own(this.records)
      .filter((key) => canSign(key, now))
      .map((key) => key.deprecatesAt);
    return { states, nextRotationAt: ends.length > 0 ? Math.min(...ends) : undefined };
  }

  /** Every key row as last read, for `keys list` and tests. */
  keys(): readonly KeyRecord[] {
    return this.records;
  }

  /**
   * Reads the table, applies the rotations due (under the database-wide lock) and adopts the result.
   * Concurrent calls share one run. A database error leaves the current keys in use and is rethrown.
   */
  sync(): Promise<void> {
    this.syncing ??= this.runSync()
      .then(
        () => this.arm(false),
        (error: unknown) => {
          this.arm(true);
          throw error;
        },
      )
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  /** Stops the sync timer; in per-replica mode retires this replica's keys, whose private halves die with it. */
  async close(): Promise<void> {
    this.scheduling = false;
    clearTimeout(this.timer);
    for (const next of Object.values(this.nextKeys)) next.discard();
    await this.syncing?.catch(() => undefined);
    this.closed = true;
    if (this.cipher) return;
    const now = this.clock.now();
    const margin = publicationMargin(this.policy);
    try {
      await this.db.transaction(async (tx) => {
        for (const key of this.own(this.records).filter((k) => isPublished(k, now))) {
          const neverSigned = key.activatesAt > now;
          await keyRepository.reschedule(tx, key.kid, {
            activatesAt: key.activatesAt,
            deprecatesAt: Math.min(key.deprecatesAt, now),
            expiresAt: neverSigned ? now : Math.min(key.expiresAt, now + margin),
          });
        }
      });
    } catch (error) {
      logger.warn(`could not retire this replica's keys (${(error as Error).message}); they expire on their schedule`);
    }
    this.signers.clear();
  }

  /** Replaces the one sync timer: at the next instant the schedule needs (`nextWake`), sooner after a failure. */
  private arm(failed: boolean): void {
    if (!this.scheduling) return;
    clearTimeout(this.timer);
    const now = this.clock.now();
    const at = failed ? now + Math.min(RETRY_MS, this.policy.syncIntervalMs) : nextWake(this.records, now, this.policy);
    this.timer = setTimeout(() => void this.sync().catch(() => undefined), Math.max(at - now, MIN_WAKE_MS));
    this.timer.unref();
  }

  private async runSync(): Promise<void> {
    try {
      let rows = await keyRepository.all(this.db);
      const due = this.plan(rows);
      if (due.length > 0) {
        // Generating an RSA key takes up to seconds: it was done ahead (or is done now), before the lock.
        const spares = new Map<KeyPurpose, PreparedKey>();
        for (const change of due) {
          if (change.kind === 'create' && !spares.has(change.purpose)) spares.set(change.purpose, await this.nextKeys[change.purpose].take());
        }
        rows = await this.db.exclusive(async (tx) => {
          const fresh = await keyRepository.all(tx);
          const changes = this.plan(fresh);
          for (const change of changes) {
            if (change.kind === 'create') {
              await this.create(tx, change, spares.get(change.purpose) ?? (await this.nextKeys[change.purpose].take()));
              spares.delete(change.purpose);
            } else {
              await this.update(tx, change, fresh);
            }
          }
          return changes.length > 0 ? keyRepository.all(tx) : fresh;
        });
        // Not needed after all (another replica rotated first): kept for the next rotation.
        for (const [purpose, spare] of spares) this.nextKeys[purpose].giveBack(spare);
      }
      await this.adopt(rows);
      if (this.scheduling) this.prepareNextKeys();
      if (this.failing) logger.log('key table reachable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) logger.warn(`key sync failed (${(error as Error).message}); signing and publishing with the keys last read`);
      this.failing = true;
      throw error;
    }
  }

  private plan(rows: KeyRecord[]): PlannedChange[] {
    const now = this.clock.now();
    return planKeys(this.own(rows), now, this.policy, this.bootstrapDelay(rows, now));
  }

  private prepareNextKeys(): void {
    this.nextKeys.access.prepare();
    if (needsIdTokenKey(this.policy.algorithm)) this.nextKeys.id_token.prepare();
  }

  /**
   * While other replicas sign, a new replica's first key waits until they have read it (two sync
   * intervals: they read the table at least once per interval), so a verifier that fetches their JWKS
   * already finds it, even when KEY_ACTIVATION_DELAY is shorter.
   * The first replica of a cluster (or one restarting alone), and a shared key set, sign at once.
   */
  private bootstrapDelay(rows: KeyRecord[], now: number): number {
    if (this.cipher) return 0;
    const othersSign = rows.some((key) => key.owner !== undefined && key.owner !== this.replicaId && canSign(key, now));
    return othersSign ? 2 * this.policy.syncIntervalMs : 0;
  }

  /** The keys this process can sign with. */
  private own(rows: readonly KeyRecord[]): KeyRecord[] {
    return this.cipher
      ? rows.filter((key) => key.owner === undefined && key.sealedPrivateKey !== undefined)
      : rows.filter((key) => key.owner === this.replicaId);
  }

  private async create(tx: Queryable, change: Extract<PlannedChange, { kind: 'create' }>, prepared: PreparedKey): Promise<void> {
    const { signingKey, sealed } = prepared;
    const record: KeyRecord = {
      kid: signingKey.kid,
      alg: signingKey.alg,
      purpose: change.purpose,
      publicJwk: signingKey.publicJwk,
      sealedPrivateKey: sealed,
      owner: this.replicaId,
      createdAt: this.clock.now(),
      activatesAt: change.activatesAt,
      deprecatesAt: change.deprecatesAt,
      expiresAt: change.expiresAt,
    };
    await keyRepository.insert(tx, record);
    this.signers.set(record.kid, signingKey);
    const what = record.purpose === 'id_token' ? 'ID-token key' : 'key';
    logger.log(`created ${record.alg} ${what} ${record.kid} (${change.reason}); signs from ${new Date(record.activatesAt).toISOString()}`);
  }

  /** Applies a planned change to `change.kid`, one of `rows` (the table as read inside the lock). */
  private async update(tx: Queryable, change: Extract<PlannedChange, { kind: 'update' }>, rows: readonly KeyRecord[]): Promise<void> {
    const key = rows.find((k) => k.kid === change.kid);
    if (!key) return;
    await keyRepository.reschedule(tx, key.kid, {
      activatesAt: change.activatesAt ?? key.activatesAt,
      deprecatesAt: change.deprecatesAt ?? key.deprecatesAt,
      expiresAt: change.expiresAt ?? key.expiresAt,
    });
    logger.log(`rescheduled key ${key.kid}: ${change.reason}`);
  }

  /** Takes the rows as the truth: opens new shared private keys, forgets those no longer usable. */
  private async adopt(rows: KeyRecord[]): Promise<void> {
    const now = this.clock.now();
    const usable = new Set(
      this.own(rows)
        .filter((key) => isPublished(key, now))
        .map((key) => key.kid),
    );
    for (const kid of this.signers.keys()) if (!usable.has(kid)) this.signers.delete(kid);
    if (this.cipher) {
      for (const key of this.own(rows)) {
        if (!usable.has(key.kid) || this.signers.has(key.kid) || !key.sealedPrivateKey) continue;
        const pkcs8 = this.cipher.open(key.sealedPrivateKey, sealingContext(key.kid, key.alg), key.kid);
        this.signers.set(key.kid, await importManagedKey(pkcs8, key.publicJwk));
        pkcs8.fill(0);
      }
    }
    this.records = rows;
    this.published = undefined;
  }
}
