import { collectDefaultMetrics, Registry } from 'prom-client';

/** Injection token of the application's own prom-client Registry. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * One Registry per application instance rather than prom-client's global one, so that several
 * applications in one process (the tests) never register a metric twice. With metrics on, it
 * also carries the default process and Node.js metrics (`process_*`, `nodejs_*`).
 */
export function createMetricsRegistry(defaultMetrics: boolean): Registry {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}
