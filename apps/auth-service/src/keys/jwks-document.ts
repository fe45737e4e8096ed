import type { PublicJwk } from '@app/contracts';
import { createHash } from 'node:crypto';
import type { PublishedJwks } from './key-store.js';

export function publishJwks(keys: PublicJwk[]): PublishedJwks {
  const document = { keys };
  const body = JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { document, body, etag };
}
