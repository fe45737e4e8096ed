import { HttpMetrics } from '@app/observability';
import { Registry } from 'prom-client';
import { loadAuthConfig } from '../config/auth.config.js';
import type { KeyLifecycle, KeyStore } from '../keys/key-store.js';
import { AuthMetrics, loginOutcomeOf } from './auth-metrics.js';

function setup(lifecycle: () => KeyLifecycle = () => ({ states: { active: 1 } })) {
  const registry = new Registry();
  const http = new HttpMetrics(registry);
  const keys = { signingKey: () => undefined, jwks: () => undefined, lifecycle } as unknown as KeyStore;
  const metrics = new AuthMetrics(registry, keys, { now: () => 1_000_000 }, http, loadAuthConfig({ KEYS_SOURCE: 'managed' }).keys);
  const value = async (name: string, labels: Record<string, string> = {}) =>
    (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
  return { registry, http, metrics, value };
}

describe('AuthMetrics', () => {
  it.each([
    [200, 'success'],
    [401, 'bad_credentials'],
    [429, 'throttled'],
    [400, 'invalid_request'],
    [413, 'invalid_request'],
    [415, 'invalid_request'],
    [503, 'error'],
    [500, 'error'],
  ])('counts a login answered %i as %s', async (status, outcome) => {
    const { http, value } = setup();
    expect(loginOutcomeOf(status)).toBe(outcome);
    http.record({ method: 'POST', route: '/auth/login', status, seconds: 0.01 });
    http.record({ method: 'POST', route: '/auth/refresh', status, seconds: 0.01 });
    expect(await value('auth_logins_total', { outcome })).toBe(1);
  });

  it('counts refresh outcomes handed to refresh()', async () => {
    const { metrics, value } = setup();
    metrics.refresh('reused');
    metrics.refresh('rotated');
    metrics.refresh('rotated');
    expect([await value('auth_refresh_total', { outcome: 'rotated' }), await value('auth_refresh_total', { outcome: 'reused' })]).toEqual([2, 1]);
    expect(await value('auth_refresh_total', { outcome: 'expired' })).toBe(0);
  });

  it('reads the key gauges from KeyStore.lifecycle() on every scrape', async () => {
    let lifecycle: KeyLifecycle = { states: { pending: 1, active: 1, deprecated: 2 }, nextRotationAt: 1_000_000 + 90_000 };
    const { registry } = setup(() => lifecycle);
    expect(await registry.getSingleMetricAsString('auth_keys')).toContain('auth_keys{state="deprecated"} 2');
    expect(await registry.getSingleMetricAsString('auth_key_rotation_seconds')).toContain('auth_key_rotation_seconds{source="managed"} 90');

    lifecycle = { states: { active: 1 } };
    const keys = await registry.getSingleMetricAsString('auth_keys');
    expect(keys).toContain('auth_keys{state="active"} 1');
    expect(keys).not.toContain('deprecated');
    expect(await registry.getSingleMetricAsString('auth_key_rotation_seconds')).not.toContain('source=');
  });
});
