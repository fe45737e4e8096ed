import { connect } from 'node:net';

/**
 * How a slowloris client misbehaves:
 * - `request-line`: sends the first bytes of a request line, then one more byte of it every tick;
 * - `headers`: sends the request line and a header, then one header byte every tick, never ending them;
 * - `body`: sends complete headers announcing a body, then one body byte every tick;
 * - `idle-keep-alive`: sends one complete request, reads the answer, then sends nothing.
 */
export type SlowKind = 'request-line' | 'headers' | 'body' | 'idle-keep-alive';

export interface SlowOutcome {
  kind: SlowKind;
  /** From the moment the connection (or, for `idle-keep-alive`, its answer) began to wait, to the close. */
  heldMs: number;
  /** The status line the server sent, if any (408 on a timeout, 200 before a keep-alive idle). */
  statusLines: string[];
  /** False when the client gave up (`giveUpMs`) or the socket failed, instead of the server closing it. */
  closedByServer: boolean;
}

export interface SlowClientOptions {
  /** Milliseconds between the bytes trickled (500 by default). */
  tickMs?: number;
  /** The request an `idle-keep-alive` client sends (a GET that answers 200). */
  keepAlivePath: string;
  /** Where the `body` client posts. */
  bodyPath: string;
  /** After this long the client itself hangs up (`closedByServer` false), so a server that never cuts fails fast. */
  giveUpMs: number;
}

/** Opens one slow connection to 127.0.0.1:`port`; resolves once the server has closed it. */
export function slowConnection(port: number, kind: SlowKind, options: SlowClientOptions): Promise<SlowOutcome> {
  const tickMs = options.tickMs ?? 500;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let waitingSince = Date.now();
    let received = '';
    let trickle: NodeJS.Timeout | undefined;
    let closedByServer = true;
    const giveUp = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, options.giveUpMs);
    const every = (byte: string) => {
      trickle = setInterval(() => socket.write(byte), tickMs);
    };
    socket.on('connect', () => {
      waitingSince = Date.now();
      if (kind === 'request-line') {
        socket.write('GET /health/li');
        every('v');
      } else if (kind === 'headers') {
        socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
        every('a');
      } else if (kind === 'body') {
        socket.write(`POST ${options.bodyPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{`);
        every(' ');
      } else {
        socket.write(`GET ${options.keepAlivePath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
      }
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // The idle wait starts when the answer has arrived whole (headers and the small JSON body).
      if (kind === 'idle-keep-alive' && /\r\n\r\n[\s\S]*\}$/.test(received)) waitingSince = Date.now();
    });
    // A write racing the server's close fails with EPIPE/ECONNRESET: still a close by the server.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') closedByServer = false;
    });
    socket.on('close', () => {
      clearInterval(trickle);
      clearTimeout(giveUp);
      const statusLines = received.split('\r\n').filter((line) => line.startsWith('HTTP/1.1 '));
      resolve({ kind, heldMs: Date.now() - waitingSince, statusLines, closedByServer });
    });
  });
}

/** min / median / max of `values`, rounded. */
export function spread(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}
