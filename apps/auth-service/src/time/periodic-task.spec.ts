import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { every, PeriodicTask } from './periodic-task.js';

/** Keeps the warnings instead of printing them. */
class WarningsLogger extends Logger {
  readonly warnings: string[] = [];

  override warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

describe('every', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the task each interval, never two at once, keeps going after a failure, and stops', async () => {
    const logger = new WarningsLogger('test');
    let release: () => void = () => undefined;
    let calls = 0;
    const task = () => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('boom'));
      return new Promise<void>((resolve) => (release = resolve));
    };
    const stop = every('test task', 1000, task, logger);

    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(1);
    expect(logger.warnings).toEqual(['test task failed: boom']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    await jest.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(2);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(3);
    stop();
    release();
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(3);
  });
});

class CountingTask extends PeriodicTask {
  protected readonly logger = new Logger(CountingTask.name);
  runs = 0;

  constructor() {
    super('counting', 1000);
  }

  run(): Promise<void> {
    this.runs += 1;
    return Promise.resolve();
  }
}

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs from application start, each interval, until shutdown', async () => {
    const task = new CountingTask();
    await jest.advanceTimersByTimeAsync(5000);
    expect(task.runs).toBe(0);

    task.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3000);
    expect(task.runs).toBe(3);

    task.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(5000);
    expect(task.runs).toBe(3);
  });
});
