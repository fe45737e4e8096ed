import { HttpMetrics, METRICS_REGISTRY } from '@app/observability';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ConfigType } from '@nestjs/config';
import { CLOCK, type Clock } from '../time/clock.js';
import { keysConfig } from '../config/keys.config.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';

export const LOGIN_OUTCOMES = ['success', 'bad_credentials', 'throttled', 'invalid_request', 'error'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

export const REFRESH_OUTCOMES = ['rotated', 'reused', 'expired', 'revoked', 'invalid'] as const;
export type RefreshOutcome = (typeof REFRESH_OUTCOMES)[number];

/** The login route whose answers are counted as login outcomes. */
const LOGIN_ROUTE = '/auth/login';

/** A login answer's status → its outcome: what the client was told is what is counted. */
export function loginOutcomeOf(status: number): LoginOutcome {
  if (status >= 200 && status < 300) return 'success';
  if (status === 401) return 'bad_credentials';
  if (status === 429) return 'throttled';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'error';
}

/**
 * The issuer's own metrics, in the application's registry:
 * - `auth_tokens_issued_total{alg,kid}` (TokenService),
 * - `auth_logins_total{outcome}` from the answers of POST /auth/login (so 400s from the validation
 *   pipe, 413s from the body limit and 429s from a throttler guard are counted without the
 *   controller knowing), outcomes success|bad_credentials|throttled|invalid_request|error,
 * - `auth_refresh_total{outcome}` (rotated|reused|expired|revoked|invalid), fed by `refresh()`,
 * - `auth_keys{state}` and `auth_key_rotation_seconds`, read from `KeyStore.lifecycle()` per scrape
 *   (no rotation sample while none is scheduled: the pem store rotates by hand).
 * Labels are bounded: algorithm and kid (a handful of keys), fixed outcome and state names.
 */
@Injectable()
export class AuthMetrics {
  private readonly tokens: Counter<'alg' | 'kid'>;
  private readonly logins: Counter<'outcome'>;
  private readonly refreshes: Counter<'outcome'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(KEY_STORE) keys: KeyStore,
    @Inject(CLOCK) clock: Clock,
    http: HttpMetrics,
    @Inject(keysConfig.KEY) keysSettings: ConfigType<typeof keysConfig>,
  ) {
    const keySource = keysSettings.source;
    this.tokens = new Counter({
      name: 'auth_tokens_issued_total',
      help: 'Access tokens signed, by algorithm and key id',
      labelNames: ['alg', 'kid'],
      registers: [registry],
    });
    this.logins = new Counter({ name: 'auth_logins_total', help: 'Login attempts by outcome', labelNames: ['outcome'], registers: [registry] });
    this.refreshes = new Counter({ name: 'auth_refresh_total', help: 'Refresh token uses by outcome', labelNames: ['outcome'], registers: [registry] });
    for (const outcome of LOGIN_OUTCOMES) this.logins.inc({ outcome }, 0);
    for (const outcome of REFRESH_OUTCOMES) this.refreshes.inc({ outcome }, 0);

    // oxlint-disable-next-line no-new -- a gauge lives in `registers` and reads the key store at scrape time (collect); nothing else holds it
    new Gauge({
      name: 'auth_keys',
      help: 'Signing keys by lifecycle state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [state, count] of Object.entries(keys.lifecycle().states)) this.set({ state }, count);
      },
    });
    // oxlint-disable-next-line no-new -- as above
    new Gauge({
      name: 'auth_key_rotation_seconds',
      help: 'Seconds until the next automatic key rotation, by key source (no sample while none is scheduled)',
      labelNames: ['source'],
      registers: [registry],
      collect() {
        this.reset();
        const due = keys.lifecycle().nextRotationAt;
        if (due !== undefined) this.set({ source: keySource }, Math.max(0, (due - clock.now()) / 1000));
      },
    });

    http.onSample((sample) => {
      if (sample.route === LOGIN_ROUTE && sample.method === 'POST') this.logins.inc({ outcome: loginOutcomeOf(sample.status) });
    });
  }

  tokenIssued(alg: string, kid: string): void {
    this.tokens.inc({ alg, kid });
  }

  /** For the refresh flow: one call per POST /auth/refresh decision. */
  refresh(outcome: RefreshOutcome): void {
    this.refreshes.inc({ outcome });
  }
}
