/** A body past the reader's byte limit; each fetcher turns it into its own error type. */
export class BodyTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a response body as it streams in and gives up past `maxBytes`: the rest is never downloaded
 * (the stream is cancelled), so an oversized body (a JWKS, the revocation feed, the issuer's metadata)
 * costs at most `maxBytes` of memory, whatever its length or whether it announces one. The caller's
 * abort signal (the fetch timeout) also ends the read, so a trickling body is cut off at the timeout.
 * Throws BodyTooLargeError past the limit, a TypeError when the body is not UTF-8.
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
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, length));
}
