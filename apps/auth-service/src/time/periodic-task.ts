import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Runs `task` (called `name` in logs) every `intervalMs` until the returned function is called. A run never overlaps the
 * previous one; a failure is logged and the next run tries again. The timer does not keep the
 * process alive.
 */
export function every(name: string, intervalMs: number, task: () => Promise<unknown>, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error: unknown) => logger.warn(`${name} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A provider that runs `run()` every `intervalMs` from application start until shutdown (the
 * pruners). Subclasses name the task for the logs and keep their own `logger`.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly logger: Logger;
  private stop?: () => void;

  protected constructor(
    private readonly taskName: string,
    private readonly intervalMs: number,
  ) {}

  /** One pass of the task; also called directly by tests and operators' code. */
  abstract run(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.stop = every(this.taskName, this.intervalMs, () => this.run(), this.logger);
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
