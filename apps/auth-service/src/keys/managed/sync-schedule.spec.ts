import type { PublicJwk } from '@app/contracts';
import type { KeyRecord } from './key-record.js';
import { planRotation, scheduleFrom, type RotationPolicy } from './rotation-plan.js';
import { nextWake, successorPollMs } from './sync-schedule.js';

const S = 1000;
// The setting that made logins fail: a sync tick (10 s) longer than the activation delay (2 s).
const policy: RotationPolicy = {
  algorithm: 'ES256',
  rotationIntervalMs: 4 * S,
  activationDelayMs: 2 * S,
  retentionMs: 10 * S,
  accessTokenTtlMs: 2 * S,
  clockToleranceMs: S,
  syncIntervalMs: 10 * S,
};

function key(kid: string, activatesAt: number, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    kid,
    alg: 'ES256',
    purpose: 'access',
    publicJwk: { kid } as PublicJwk,
    createdAt: activatesAt - 2 * S,
    ...scheduleFrom(activatesAt, policy),
    ...extra,
  };
}

/** The table after applying `planRotation` at `now` the way the store does (creates get kids n1, n2...). */
function rotate(rows: KeyRecord[], now: number): KeyRecord[] {
  let next = rows;
  for (const change of planRotation(rows, now, policy)) {
    if (change.kind === 'create') next = [...next, key(`n${next.length}`, change.activatesAt, { createdAt: now, ...change })];
    else next = next.map((k) => (k.kid === change.kid ? { ...k, ...change, kind: undefined, reason: undefined } : k) as KeyRecord);
  }
  return next;
}

describe('nextWake', () => {
  it('wakes when the successor is due, not at the next sync tick', () => {
    expect(nextWake([key('a', 0)], 0, policy)).toBe(2 * S); // deprecates at 4 s, minus the 2 s delay
  });

  it('wakes at the pending key activation and the old key deprecation, then at the next due instant', () => {
    const rows = [key('a', 0), key('b', 4 * S)];
    expect(nextWake(rows, 2 * S, policy)).toBe(4 * S);
    expect(nextWake(rows, 4 * S, policy)).toBe(6 * S); // b is due a successor at 8 s - 2 s
  });

  it('wakes at an expiry so the JWKS drops the key on time', () => {
    const rows = [key('a', 0, { deprecatesAt: 20 * S, expiresAt: 12 * S })];
    expect(nextWake(rows, 11 * S, policy)).toBe(12 * S);
  });

  it('never later than one sync interval', () => {
    const slow = { ...policy, rotationIntervalMs: 3_600_000, retentionMs: 7_200_000 };
    expect(nextWake([{ ...key('a', 0), ...scheduleFrom(0, slow) }], 0, slow)).toBe(10 * S);
  });

  it("polls for another replica's successor once it is due until it is in the table", () => {
    const theirs = key('a', 0, { owner: 'replica-a' });
    const poll = successorPollMs(policy);
    expect(poll).toBe(200);
    expect(nextWake([theirs], 2 * S, policy)).toBe(2 * S + poll);
    expect(nextWake([theirs, key('b', 4 * S, { owner: 'replica-a' })], 2 * S + poll, policy)).toBe(4 * S);
  });

  it("wakes at each chain's due instant: a pending access-token key does not hide the ID-token key's successor", () => {
    const rows = [key('a', 0), key('a2', 4 * S), key('i', S, { purpose: 'id_token', alg: 'RS256' })];
    expect(nextWake(rows, 2 * S, policy)).toBe(3 * S); // i deprecates at 5 s, its successor is due at 3 s
  });

  it('never schedules a past instant', () => {
    const rows = [key('a', 0, { expiresAt: 5 * S }), key('old', -10 * S)];
    for (let now = 0; now < 12 * S; now += 250) expect(nextWake(rows, now, policy)).toBeGreaterThan(now);
  });

  it('following the wakes, a key signs at every instant across many rotations with a 10 s sync tick', () => {
    let rows = rotate([], 0);
    let now = 0;
    const gaps: number[] = [];
    while (now < 60 * S) {
      const wake = nextWake(rows, now, policy);
      for (let t = now; t < wake; t += 50) if (!rows.some((k) => k.activatesAt <= t && t < k.deprecatesAt)) gaps.push(t);
      now = wake;
      rows = rotate(rows, now);
    }
    expect(gaps).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });
});
