import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry.js';

/** Route label of requests that matched no route: raw paths would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** One answered request, as the metrics see it: bounded labels only. */
export interface HttpSample {
  method: string;
  /** The route template (`/auth/login`), or `unmatched`. */
  route: string;
  status: number;
  seconds: number;
}

export type HttpSampleListener = (sample: HttpSample) => void;

interface Series {
  requests: ReturnType<Counter<string>['labels']>;
  duration: ReturnType<Histogram<string>['labels']>;
}

/**
 * `http_requests_total` and `http_request_duration_seconds` by method, route template and status
 * code, fed by a fastify onResponse hook (one counter increment and one histogram observation per
 * request, after the answer has been sent).
 */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<string>;
  private readonly duration: Histogram<string>;
  private readonly listeners: HttpSampleListener[] = [];
  private readonly series = new Map<string, Series>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const labelNames = ['method', 'route', 'status_code'];
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the request arriving to the answer being sent',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  /** Called for every answered request, after the HTTP series are updated (e.g. login outcomes). */
  onSample(listener: HttpSampleListener): void {
    this.listeners.push(listener);
  }

  record(sample: HttpSample): void {
    const series = this.seriesOf(sample);
    series.requests.inc();
    series.duration.observe(sample.seconds);
    for (const listener of this.listeners) listener(sample);
  }

  /**
   * The two series of a method, route and status, looked up once: prom-client otherwise sorts and
   * joins the labels into a key on every `inc` and `observe`. Bounded like the labels themselves.
   */
  private seriesOf({ method, route, status }: HttpSample): Series {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { method, route, status_code: status };
      series = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      this.series.set(key, series);
    }
    return series;
  }

  /** Registers the onResponse hook; call before the application initialises its routes. */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.record({
        method: METHODS.has(request.method) ? request.method : 'OTHER',
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status: reply.statusCode,
        seconds: reply.elapsedTime / 1000,
      });
      done();
    });
  }
}
