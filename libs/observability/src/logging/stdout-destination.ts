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
 * The process's one stdout destination: pino's synchronous sonic-boom, batched. One write(2) per line
 * was most of the access log's cost (a system call and a wake-up of the reading end of the pipe per
 * request: docs/performance.md "The operations layer"); batched, the lines of a busy second share a
 * few writes. What is kept from the synchronous destination: no libuv pool round trip, and nothing is
 * lost on a normal exit (an `exit` handler flushes) or for a warning or error (`flushOnWarn`). A SIGKILL
 * or a crash of the runtime itself loses at most the last 100 ms of info lines.
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
