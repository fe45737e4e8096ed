import type { PublicJwk } from '@app/contracts';
import { keyState, type KeyRecord } from './key-record.js';
import { planKeys, planRotation, scheduleFrom, type RotationPolicy } from './rotation-plan.js';

const MIN = 60_000;
const DAY = 1440 * MIN;
const policy: RotationPolicy = {
  algorithm: 'RS256',
  rotationIntervalMs: 7 * DAY,
  activationDelayMs: 10 * MIN,
  retentionMs: 28 * DAY,
  accessTokenTtlMs: 15 * MIN,
  clockToleranceMs: 30_000,
  syncIntervalMs: 10_000,
};
const margin = 15 * MIN + 30_000 + 10_000;

function key(kid: string, activatesAt: number, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    kid,
    alg: 'RS256',
    purpose: 'access',
    publicJwk: { kid } as PublicJwk,
    createdAt: activatesAt - 10 * MIN,
    ...scheduleFrom(activatesAt, policy),
    ...extra,
  };
}

describe('planRotation', () => {
  it('creates the first key signing at once', () => {
    expect(planRotation([], 0, policy)).toEqual([{ kind: 'create', activatesAt: 0, deprecatesAt: 7 * DAY, expiresAt: 28 * DAY, reason: 'first key' }]);
  });

  it('does nothing while the signing key is young', () => {
    expect(planRotation([key('a', 0)], 7 * DAY - 10 * MIN - 1, policy)).toEqual([]);
  });

  it('pre-publishes the successor exactly KEY_ACTIVATION_DELAY before the current key stops', () => {
    const [create, ...rest] = planRotation([key('a', 0)], 7 * DAY - 10 * MIN, policy);
    expect(create).toMatchObject({ kind: 'create', activatesAt: 7 * DAY, deprecatesAt: 14 * DAY, expiresAt: 35 * DAY });
    expect(rest).toEqual([]);
  });

  it('does nothing more once the successor is pending', () => {
    expect(planRotation([key('a', 0), key('b', 7 * DAY)], 7 * DAY - 5 * MIN, policy)).toEqual([]);
  });

  it('keeps a late-rotated key signing until its successor has been published for the delay', () => {
    const now = 7 * DAY - 1000; // the sync ran late: less than the delay is left
    const changes = planRotation([key('a', 0)], now, policy);
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'create', activatesAt: now + 10 * MIN }),
      { kind: 'update', kid: 'a', deprecatesAt: now + 10 * MIN, expiresAt: 28 * DAY, reason: expect.any(String) },
    ]);
  });

  it('after downtime past the rotation, the last key signs on while its successor is pre-published', () => {
    const now = 9 * DAY;
    expect(planRotation([key('a', 0)], now, policy)).toEqual([
      expect.objectContaining({ kind: 'create', activatesAt: now + 10 * MIN }),
      { kind: 'update', kid: 'a', deprecatesAt: now + 10 * MIN, expiresAt: 28 * DAY, reason: expect.any(String) },
    ]);
  });

  it('extends retention so a key stays published TTL + tolerance + sync after a late last signature', () => {
    const now = 28 * DAY - 5 * MIN;
    const [, update] = planRotation([key('a', 0)], now, policy);
    expect(update).toMatchObject({ kind: 'update', deprecatesAt: now + 10 * MIN, expiresAt: now + 10 * MIN + margin });
  });

  it('activates the pending key at once when the signing key was revoked', () => {
    const now = 7 * DAY - 5 * MIN;
    const changes = planRotation([key('a', 0, { revokedAt: now - 1 }), key('b', 7 * DAY)], now, policy);
    expect(changes).toEqual([{ kind: 'update', kid: 'b', activatesAt: now, deprecatesAt: now + 7 * DAY, expiresAt: 35 * DAY, reason: expect.any(String) }]);
  });

  it('never brings back an older key after the newest was revoked: a new key signs at once', () => {
    const now = 8 * DAY;
    const changes = planRotation([key('a', 0), key('b', 7 * DAY, { revokedAt: now - 1 })], now, policy);
    expect(changes).toEqual([expect.objectContaining({ kind: 'create', activatesAt: now, reason: 'no usable key (revoked or expired)' })]);
  });

  it('after revoke-all a new key signs at once', () => {
    const now = DAY;
    expect(planRotation([key('a', 0, { revokedAt: now })], now, policy)).toEqual([expect.objectContaining({ kind: 'create', activatesAt: now })]);
  });

  it('a changed JWT_ALGORITHM pre-publishes a key of the new algorithm, the old one signing until then', () => {
    const now = DAY;
    const changes = planRotation([key('a', 0)], now, { ...policy, algorithm: 'ES256' });
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'create', activatesAt: now + 10 * MIN, reason: 'JWT_ALGORITHM is now ES256' }),
      expect.objectContaining({ kind: 'update', kid: 'a', deprecatesAt: now + 10 * MIN, expiresAt: 28 * DAY }),
    ]);
  });

  it('a new replica waits the bootstrap delay before its first key signs', () => {
    expect(planRotation([], 0, policy, 20_000)).toEqual([expect.objectContaining({ kind: 'create', activatesAt: 20_000 })]);
  });
});

describe('planKeys: the access-token chain and the ID-token chain', () => {
  const es256 = { ...policy, algorithm: 'ES256' as const };
  const idKey = (kid: string, activatesAt: number, extra: Partial<KeyRecord> = {}) => key(kid, activatesAt, { purpose: 'id_token', ...extra });
  const accessKey = (kid: string, activatesAt: number, extra: Partial<KeyRecord> = {}) => key(kid, activatesAt, { alg: 'ES256', ...extra });

  it('with RS256 plans one chain, as planRotation does', () => {
    expect(planKeys([], 0, policy)).toEqual([
      { kind: 'create', purpose: 'access', alg: 'RS256', activatesAt: 0, deprecatesAt: 7 * DAY, expiresAt: 28 * DAY, reason: 'first key' },
    ]);
    expect(planKeys([key('a', 0)], DAY, policy)).toEqual([]);
  });

  it('with ES256 the first start creates both keys, signing at once (after the bootstrap delay of a joining replica)', () => {
    expect(planKeys([], 0, es256, 20_000)).toEqual([
      expect.objectContaining({ kind: 'create', purpose: 'access', alg: 'ES256', activatesAt: 20_000 }),
      expect.objectContaining({ kind: 'create', purpose: 'id_token', alg: 'RS256', activatesAt: 20_000 }),
    ]);
  });

  it('each chain rotates on its own schedule; an RS256 ID-token key is no algorithm change for the access chain', () => {
    const rows = [accessKey('a', 0), idKey('i', MIN)];
    expect(planKeys(rows, DAY, es256)).toEqual([]);
    expect(planKeys(rows, 7 * DAY - 10 * MIN, es256)).toEqual([
      expect.objectContaining({ kind: 'create', purpose: 'access', alg: 'ES256', activatesAt: 7 * DAY }),
    ]);
    const withSuccessor = [...rows, accessKey('a2', 7 * DAY)];
    expect(planKeys(withSuccessor, 7 * DAY - 9 * MIN, es256)).toEqual([
      expect.objectContaining({ kind: 'create', purpose: 'id_token', alg: 'RS256', activatesAt: 7 * DAY + MIN }),
    ]);
  });

  it('a revoked ID-token key is replaced at once; the access-token key is left alone', () => {
    const now = DAY;
    expect(planKeys([accessKey('a', 0), idKey('i', 0, { revokedAt: now - 1 })], now, es256)).toEqual([
      expect.objectContaining({ kind: 'create', purpose: 'id_token', activatesAt: now, reason: 'no usable key (revoked or expired)' }),
    ]);
  });

  it('back to RS256: the ID-token keys sign on until an RS256 access-token key signs, then stop (a pending one leaves at once)', () => {
    const rows = [accessKey('a', 0), idKey('i', 0), idKey('i2', 7 * DAY)];
    const switching = planKeys(rows, DAY, policy);
    expect(switching).toEqual([
      expect.objectContaining({ kind: 'create', purpose: 'access', alg: 'RS256', activatesAt: DAY + 10 * MIN }),
      expect.objectContaining({ kind: 'update', kid: 'a', deprecatesAt: DAY + 10 * MIN }),
    ]);
    const now = DAY + 10 * MIN;
    const switched = [key('a', 0, { alg: 'ES256', deprecatesAt: now }), key('r', now), idKey('i', 0), idKey('i2', 7 * DAY)];
    expect(planKeys(switched, now, policy)).toEqual([
      { kind: 'update', kid: 'i', deprecatesAt: now, reason: expect.any(String) },
      { kind: 'update', kid: 'i2', deprecatesAt: now, expiresAt: now, reason: expect.any(String) },
    ]);
  });

  it('from RS256 to ES256: the ES256 successor is pre-published and the ID-token chain starts', () => {
    expect(planKeys([key('a', 0)], DAY, es256)).toEqual([
      expect.objectContaining({ kind: 'create', purpose: 'access', alg: 'ES256', activatesAt: DAY + 10 * MIN }),
      expect.objectContaining({ kind: 'update', kid: 'a', deprecatesAt: DAY + 10 * MIN }),
      expect.objectContaining({ kind: 'create', purpose: 'id_token', alg: 'RS256', activatesAt: DAY }),
    ]);
  });
});

describe('keyState', () => {
  const k = key('a', 10 * MIN);
  it.each([
    [0, 'pending'],
    [10 * MIN, 'active'],
    [7 * DAY + 10 * MIN, 'deprecated'],
    [28 * DAY + 10 * MIN, 'expired'],
  ])('at %i ms the key is %s', (now, state) => {
    expect(keyState(k, now)).toBe(state);
  });
  it('revoked wins over every other state', () => {
    expect(keyState({ ...k, revokedAt: 1 }, 11 * MIN)).toBe('revoked');
  });
});
