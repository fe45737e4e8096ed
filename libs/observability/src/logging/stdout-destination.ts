import { destination, type LogFn } from 'pino';

/** Lines are held until this many bytes are waiting (about a dozen access lines), then written with one write(2). */
const BATCH_BYTES = 4096;
/** ...or until this long has passed, so a quiet service's lines still show within a tenth of a second. */
const FLUSH_INTERVAL_MS = 100;
/** pino's level number of `warn`: warnings and errors are written at once. */
const WARN = 40;

type StdoutDestination = ReturnType<typeof destination>;
let stdout: StdoutDestination | undefined;

/**
 * The process's one stdout destination: a synchronous sonic-boom, batched. pino's default stdout is
 * an asynchronous sonic-boom: a write on the libuv pool whenever none is under way, ~19 µs of CPU a
 * round trip on this machine; a synchronous one writes each line with its own write(2) and wakes the
 * reading end of the pipe each time (docs/performance.md "Issuing tokens", "The operations layer").
 * Batched, the lines of a busy second share a few writes, with no pool round trip. Nothing is lost on a
 * normal exit (an `exit` handler flushes) or for a warning or error (`flushOnWarn`); a SIGKILL or a
 * crash of the runtime itself loses at most the last 100 ms of info lines.
 */
export function stdoutDestination(): StdoutDestination {
  if (stdout) return stdout;
  const stream = destination({ dest: 1, sync: true, minLength: BATCH_BYTES, periodicFlush: FLUSH_INTERVAL_MS });
  process.once('exit', () => {
    try {
      stream.flushSync();
    } catch {
      // stdout already gone (EPIPE, closed): nothing can be written any more.
    }
  });
  stdout = stream;
  return stream;
}

/** pino's `hooks.logMethod`: a line at warn or above leaves the batch at once, with every line before it. */
export function flushOnWarn(this: unknown, args: Parameters<LogFn>, method: LogFn, level: number): void {
  method.apply(this, args);
  if (level >= WARN) stdout?.flush();
}
