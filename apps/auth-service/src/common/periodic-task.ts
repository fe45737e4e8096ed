import type { Logger } from '@nestjs/common';

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
