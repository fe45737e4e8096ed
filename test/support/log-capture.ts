import { Writable } from 'node:stream';

/** A pino destination that keeps every line, for tests that read what was logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((line) => line !== ''),
    );
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }

  /** Every line parsed as JSON (LOG_FORMAT=json); throws on a line that is not. */
  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Resolves once a line satisfies `predicate` (response lines are written after the answer). */
  async waitFor(predicate: (record: Record<string, unknown>) => boolean, attempts = 200): Promise<Record<string, unknown>> {
    for (let i = 0; i < attempts; i += 1) {
      const found = this.records().find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the expected log line never came');
  }
}
