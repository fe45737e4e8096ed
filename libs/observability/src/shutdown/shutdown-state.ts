import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { OBSERVABILITY_OPTIONS, type ObservabilityModuleOptions } from '../observability.options.js';

/** Time the close hooks (the database) get after the grace before a signalled process gives up. */
const CLOSE_HOOKS_MS = 5_000;

/**
 * Drives a graceful shutdown through Nest's lifecycle (`app.enableShutdownHooks(signals,
 * { useProcessExit: true })` in main.ts, or any `app.close()`):
 * 1. `onModuleDestroy`, the first hook Nest runs: readiness turns 503 (`draining`);
 * 2. `beforeApplicationShutdown`: the grace timer starts; Nest then closes the HTTP server, which
 *    stops accepting, closes idle keep-alive connections and waits for in-flight requests;
 * 3. after SHUTDOWN_GRACE the connections of requests still running are cut;
 * 4. `onApplicationShutdown` hooks close the rest (the auth-service's database); Nest exits 0.
 * A signalled shutdown whose hooks hang past grace + 5 s exits 1.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private since: number | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityModuleOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** True from the first shutdown hook on; readiness answers 503 while it is. */
  get draining(): boolean {
    return this.since !== undefined;
  }

  begin(): void {
    this.since ??= Date.now();
  }

  onModuleDestroy(): void {
    this.begin();
  }

  beforeApplicationShutdown(signal?: string): void {
    this.begin();
    const graceMs = this.options.config.shutdownGraceMs;
    this.logger.log(`${signal ?? 'close()'}: readiness is 503; draining in-flight requests for up to ${graceMs} ms`);
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.timers.push(
      setTimeout(() => {
        this.logger.warn(`shutdown grace of ${graceMs} ms is over: closing the connections of requests still running`);
        server?.closeAllConnections();
      }, graceMs).unref(),
    );
    if (signal) {
      this.timers.push(
        setTimeout(() => {
          this.logger.error('shutdown hooks did not finish in time; exiting with 1');
          process.exit(1);
        }, graceMs + CLOSE_HOOKS_MS).unref(),
      );
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    this.logger.log('HTTP server closed');
  }
}
