import { boolean, defineNamespace, list } from '@app/config';
import { isIP } from 'node:net';

/** Whom the service believes about client addresses, and whether anyone may register (`security` namespace). */
export interface SecurityConfig {
  /** Peers whose `X-Forwarded-For` is believed: IP addresses or CIDR blocks (`TRUSTED_PROXIES`). */
  trustedProxies: string[];
  registrationEnabled: boolean;
}

export const securityConfig = defineNamespace('security', (env): SecurityConfig => ({
  trustedProxies: list(env, 'TRUSTED_PROXIES', { fallback: [], entry: 'an IP address or CIDR block (10.0.0.0/8, fd00::/8)', parse: addressOrBlock }),
  registrationEnabled: boolean(env, 'REGISTRATION_ENABLED', false),
}));

/** `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`: returned as written, or undefined. */
function addressOrBlock(item: string): string | undefined {
  const [address, prefix, extra] = item.split('/');
  const family = isIP(address ?? '');
  const bits = family === 6 ? 128 : 32;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
  return family !== 0 && prefixOk && extra === undefined ? item : undefined;
}
