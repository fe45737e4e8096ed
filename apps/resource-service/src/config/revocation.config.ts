import { defineNamespace, duration, MINUTE_MS, setting, trustedUrl } from '@app/config';
import { joinUrl } from '@app/contracts';

/** Where the verifier reads the issuer's revocation feed, and how often (`revocation` namespace; docs/revocation.md). */
export interface RevocationConfig {
  /**
   * `false` with `REVOCATION_FEED_URI=off`: no feed is read, the issuer's metadata is not read to find
   * one (the option `revocationFeedUri: false`), and nothing is refused as revoked.
   */
  feedUri: string | false;
  pollIntervalMs: number;
  /** 0: off (the last list read stays in force); otherwise tokens get a 503 once the list is older. */
  maxStalenessMs: number;
}

export const revocationConfig = defineNamespace('revocation', (env): RevocationConfig => {
  const issuer = trustedUrl(env, 'AUTH_ISSUER', { fallback: 'http://localhost:3000', localFallback: true });
  return {
    feedUri: setting(env, 'REVOCATION_FEED_URI') === 'off' ? false : trustedUrl(env, 'REVOCATION_FEED_URI', { fallback: joinUrl(issuer, 'oauth/revocations') }),
    pollIntervalMs: duration(env, 'REVOCATION_POLL_INTERVAL', { fallback: '5s', min: 100, max: 10 * MINUTE_MS }),
    maxStalenessMs: duration(env, 'REVOCATION_MAX_STALENESS', { fallback: '0', min: 0, max: 7 * 24 * 60 * MINUTE_MS }),
  };
});
