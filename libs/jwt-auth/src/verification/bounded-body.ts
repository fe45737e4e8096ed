import { JwksFetchError } from './jwks-fetch.error.js';

/**
 * Reads a response body as it streams in and gives up past `maxBytes`: the rest is never downloaded
 * (the stream is cancelled), so an oversized JWKS costs at most `maxBytes` of memory, whatever its
 * length or whether it announces one. The caller's abort signal (the fetch timeout) also ends the
 * read, so a trickling body is cut off at the timeout.
 */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<string> {
  const announced = Number(response.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel();
    throw new JwksFetchError(`body of ${announced} bytes is over the ${maxBytes}-byte limit`);
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
      throw new JwksFetchError(`body over the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, length));
}
