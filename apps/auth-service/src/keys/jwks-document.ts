import type { PublicJwk } from '@app/contracts';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { createHash } from 'node:crypto';
import type { PublishedJwks } from './key-store.js';

export function publishJwks(keys: PublicJwk[]): PublishedJwks {
  const document = { keys };
  const body = JSON.stringify(document);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { document, body, etag };
}

const keySets = new WeakMap<PublishedJwks, ReturnType<typeof createLocalJWKSet>>();

/**
 * The jose key set of a published JWKS, for reading back tokens we signed (introspection, revocation,
 * token exchange, userinfo, `id_token_hint`): built once per published document, which both key
 * stores keep until their keys change, so each key is imported once rather than on every read.
 */
export function localKeySet(published: PublishedJwks): ReturnType<typeof createLocalJWKSet> {
  let keySet = keySets.get(published);
  if (!keySet) {
    keySet = createLocalJWKSet(published.document as unknown as JSONWebKeySet);
    keySets.set(published, keySet);
  }
  return keySet;
}
