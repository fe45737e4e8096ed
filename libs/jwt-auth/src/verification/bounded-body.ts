import { describeFetchFailure } from './fetch-failure.js';

/** A body past the reader's byte limit; each fetcher turns it into its own error type. */
export class BodyTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A body that is not UTF-8 or not JSON. Its message is fixed text and the byte length, never a piece
 * of the body: JSON.parse's own message quotes the body (node 20: `Unexpected token 'x', "xyzzy..." is
 * not valid JSON`), and whoever answers a fetcher may put anything there.
 */
export class UnreadableBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableBodyError';
  }
}

/** `readBoundedBody`, then JSON.parse: throws BodyTooLargeError or UnreadableBodyError (fixed messages), or the read's abort. */
export async function readJsonBody(response: Response, maxBytes: number): Promise<unknown> {
  const text = await readBoundedBody(response, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableBodyError(`the body is not JSON (${Buffer.byteLength(text)} bytes)`);
  }
}

/** Why a body read failed, for a log line or an error message: the fixed message of ours, else the error's name and code. */
export function describeBodyFailure(error: unknown): string {
  return error instanceof BodyTooLargeError || error instanceof UnreadableBodyError ? error.message : describeFetchFailure(error);
}

/**
 * Reads a response body as it streams in and gives up past `maxBytes`: the rest is never downloaded
 * (the stream is cancelled), so an oversized body (a JWKS, the revocation feed, the issuer's metadata)
 * costs at most `maxBytes` of memory, whatever its length or whether it announces one. The caller's
 * abort signal (the fetch timeout) also ends the read, so a trickling body is cut off at the timeout.
 * Throws BodyTooLargeError past the limit, UnreadableBodyError when the body is not UTF-8.
 */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<string> {
  const announced = Number(response.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel();
    throw new BodyTooLargeError(`body of ${announced} bytes is over the ${maxBytes}-byte limit`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(`body over the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, length));
  } catch {
    throw new UnreadableBodyError(`the body is not UTF-8 (${length} bytes)`);
  }
}
