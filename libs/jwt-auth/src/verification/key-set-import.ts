import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '@app/contracts';
import { jwkMayVerify } from './key-algorithm.js';

export interface ResolvedKey {
  kid: string;
  /** The imported public key; the same object for as long as the published key is unchanged. */
  key: KeyObject;
  /** The JWK's `alg`, when it was published with one. */
  jwkAlg: string | undefined;
  /** The key's SPKI PEM, kept to notice a changed key under the same `kid`. */
  pem: string;
}

export interface KeySetImportOptions {
  /** The pinned algorithms: entries none of them could use are skipped before any import. */
  algorithms: readonly JwsAlgorithm[];
  /** Kids kept first when the set lists them (keys in use, kids that requests wait for). */
  priority: Iterable<string>;
  /** The previous read: a key listed unchanged keeps its ResolvedKey, so each key is imported once. */
  previous: ReadonlyMap<string, ResolvedKey> | undefined;
  /** At most this many keys are kept, and at most twice as many imports are tried. */
  maxKeys: number;
}

export interface KeySetImport {
  keys: Map<string, ResolvedKey>;
  /** Entries of the set that could verify a pinned algorithm (one per `kid`). */
  usable: number;
  /** Usable entries Node could not import (not a valid key). */
  unimportable: number;
}

/** The members that make up a public key; `d` and other private members are never passed on. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;

/**
 * Turns the `keys` of a JWK set into imported public keys. Every entry is looked at (the body size
 * bounds how many there are), but only usable ones (`jwkMayVerify`: a signing key of a kind the
 * pinned algorithms can use, with a `kid`; for a `kid` listed twice, the first usable entry) are
 * candidates, and at most `maxKeys` of them are kept: first the `priority` kids, then the others in
 * the order listed. So a bloated set cannot push out a key in use or the one a request asks for.
 */
export function importKeySet(entries: readonly unknown[], options: KeySetImportOptions): KeySetImport {
  const candidates = new Map<string, Readonly<Record<string, unknown>>>();
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const jwk = entry as Readonly<Record<string, unknown>>;
    if (typeof jwk.kid !== 'string' || jwk.kid === '' || candidates.has(jwk.kid)) continue;
    if (jwkMayVerify(jwk, options.algorithms)) candidates.set(jwk.kid, jwk);
  }
  const order = new Set<string>();
  for (const kid of options.priority) if (candidates.has(kid)) order.add(kid);
  for (const kid of candidates.keys()) order.add(kid);

  const keys = new Map<string, ResolvedKey>();
  let attempts = 0;
  let unimportable = 0;
  for (const kid of order) {
    if (keys.size >= options.maxKeys || attempts >= 2 * options.maxKeys) break;
    attempts += 1;
    const resolved = importOne(kid, candidates.get(kid)!, options.previous?.get(kid));
    if (resolved) keys.set(kid, resolved);
    else unimportable += 1;
  }
  return { keys, usable: candidates.size, unimportable };
}

function importOne(kid: string, jwk: Readonly<Record<string, unknown>>, previous: ResolvedKey | undefined): ResolvedKey | undefined {
  const members = Object.fromEntries(PUBLIC_MEMBERS.filter((name) => jwk[name] !== undefined).map((name) => [name, jwk[name]]));
  const jwkAlg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: members as JsonWebKey, format: 'jwk' });
  } catch {
    // Not a valid key (a point off the curve, a bad modulus): the entry is counted and skipped; the
    // resolver logs the count, never the material.
    return undefined;
  }
  const pem = key.export({ format: 'pem', type: 'spki' }).toString();
  if (previous && previous.pem === pem && previous.jwkAlg === jwkAlg) return previous;
  return { kid, key, jwkAlg, pem };
}
