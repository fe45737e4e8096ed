import { Agent, request } from 'node:http';

/** One keep-alive pool for the whole fuzz run: thousands of requests, a handful of connections. */
export const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });

export interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Sent byte for byte; no Content-Type is added that the case did not choose. */
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  text: string;
}

/**
 * Sends exactly the bytes and headers given, with node:http (no client-side JSON handling). A server
 * may answer an over-size request (413, 431) before reading it and close the connection: the answer
 * counts, and the write error that follows it is expected. A pooled connection the server closed
 * just as it was reused is retried once on a new one (node's documented keep-alive race), so a
 * reset is only reported when it happened on a fresh connection.
 */
export function send(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  return attempt(baseUrl, raw).catch((error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    if (error.reusedSocket && error.code === 'ECONNRESET') return attempt(baseUrl, raw);
    throw error;
  });
}

function attempt(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  const url = new URL(raw.path, baseUrl);
  const headers: Record<string, string> = { ...raw.headers };
  if (raw.body) headers['content-length'] = String(raw.body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: raw.method, headers, agent: keepAlive },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error) => {
      // After an answer: the server closed the connection on an over-size request it refused.
      if (!answered) reject(Object.assign(error, { reusedSocket: outgoing.reusedSocket }));
    });
    outgoing.end(raw.body);
  });
}
