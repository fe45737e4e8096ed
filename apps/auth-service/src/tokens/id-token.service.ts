import { type JwsAlgorithm, MAX_TOKEN_LENGTH, SUPPORTED_ALGORITHMS } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { compactVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import { createHash } from 'node:crypto';
import { tokensConfig } from '../config/tokens.config.js';
import { localKeySet } from '../keys/jwks-document.js';
import { signerFor } from '../keys/jws-signer.js';
import type { SigningKey } from '../keys/key-material.js';
import { ID_TOKEN_KEY_ALGORITHM, KEY_STORE, type KeyStore, NoSigningKeyError } from '../keys/key-store.js';
import { CLOCK, type Clock } from '../time/clock.js';
import type { User } from '../users/user.entity.js';

/** The ID token's `typ` (OpenID Connect Core 2): never `at+jwt`, so no verifier takes it for an access token. */
export const ID_TOKEN_TYPE = 'JWT';

/** The claims an ID token (and userinfo) may carry: the metadata's `claims_supported`. */
export const ID_TOKEN_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'at_hash', 'preferred_username'] as const;

export interface IdTokenSubject {
  user: User;
  clientId: string;
  /** The SSO session's public id. */
  sid: string;
  /** Epoch ms of the password sign-in. */
  authTime: number;
  nonce?: string;
  accessToken: string;
  scope: readonly string[];
  /** The client's registered `--id-token-alg`; RS256 when absent. */
  alg?: JwsAlgorithm;
}

/** OpenID Connect Core 3.1.3.6: the left half of the hash (of the signature's size) of the access token, base64url. */
export function atHash(accessToken: string, alg: string): string {
  const bits = /(384|512)$/.exec(alg)?.[1] ?? (alg === 'EdDSA' || alg === 'Ed25519' ? '512' : '256');
  const digest = createHash(`sha${bits}`).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * ID tokens (docs/oidc.md "Tokens") with `typ: JWT`, signed RS256 by the key store's ID-token key, or
 * with JWT_ALGORITHM by its signing key for a client registered `--id-token-alg` with it; and reading
 * one back as an `id_token_hint` at logout (signature and issuer checked, expiry not: OpenID
 * RP-Initiated Logout 1.0 §2), whichever of the two signed it.
 */
@Injectable()
export class IdTokenService {
  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(tokensConfig.KEY) private readonly config: ConfigType<typeof tokensConfig>,
  ) {}

  async issue(subject: IdTokenSubject): Promise<string> {
    const key = this.keyFor(subject.alg ?? ID_TOKEN_KEY_ALGORITHM);
    const iat = Math.floor(this.clock.now() / 1000);
    return signerFor(
      key,
      ID_TOKEN_TYPE,
    )({
      iss: this.config.issuer,
      sub: subject.user.id,
      aud: subject.clientId,
      exp: iat + Math.floor(this.config.accessTokenTtlMs / 1000),
      iat,
      auth_time: Math.floor(subject.authTime / 1000),
      ...(subject.nonce === undefined ? {} : { nonce: subject.nonce }),
      sid: subject.sid,
      at_hash: atHash(subject.accessToken, key.alg),
      ...(subject.scope.includes('profile') ? { preferred_username: subject.user.username } : {}),
    });
  }

  /**
   * The key that signs `alg` now: the ID-token key for RS256, the signing key for JWT_ALGORITHM. A
   * signing key still of another algorithm (JWT_ALGORITHM just changed, its key not active yet) or an
   * algorithm we no longer sign (the client registered it under an earlier JWT_ALGORITHM) is a 503.
   */
  private keyFor(alg: JwsAlgorithm): SigningKey {
    const key = alg === ID_TOKEN_KEY_ALGORITHM ? this.keys.idTokenKey() : this.keys.signingKey();
    if (!key || key.alg !== alg) throw new NoSigningKeyError();
    return key;
  }

  /** The claims of an ID token we signed (any age, either key); undefined for anything else. */
  async readHint(token: string): Promise<JWTPayload | undefined> {
    if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return undefined;
    try {
      if (decodeProtectedHeader(token).typ !== ID_TOKEN_TYPE) return undefined;
      const { payload } = await compactVerify(token, localKeySet(this.keys.jwks()), { algorithms: [...SUPPORTED_ALGORITHMS] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as JWTPayload;
      return claims.iss === this.config.issuer ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
