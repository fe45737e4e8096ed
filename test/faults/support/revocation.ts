import type { ServiceProcess } from '../../support/service-process.js';
import { sleep } from '../../support/service-process.js';

/** The poll interval the revocation fault specs run with. */
export const POLL_MS = 1_000;
/** The promise (docs/revocation.md): enforced everywhere within the poll interval plus one second. */
export const BOUND_MS = POLL_MS + 1_000;

/** A resource-service environment reading its JWKS and the revocation feed from `auth`, polled every POLL_MS. */
export function resourceEnvFor(auth: Pick<ServiceProcess, 'url'>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    JWKS_URI: `${auth.url}/.well-known/jwks.json`,
    REVOCATION_FEED_URI: `${auth.url}/oauth/revocations`,
    REVOCATION_POLL_INTERVAL: `${POLL_MS}ms`,
    ...extra,
  };
}

export interface Session {
  access: string;
  refresh: string;
}

/** The calls a revocation fault spec makes against an auth-service and a resource-service. */
export class RevocationClient {
  constructor(
    private readonly auth: () => ServiceProcess,
    private readonly resource: () => ServiceProcess,
  ) {}

  async login(username = 'testuser', password = 'password'): Promise<Session> {
    const res = await this.post('/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; refresh_token: string };
    return { access: body.access_token, refresh: body.refresh_token };
  }

  post(path: string, body: Record<string, string>): Promise<Response> {
    return fetch(`${this.auth().url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  async logout(session: Session): Promise<void> {
    const res = await this.post('/auth/logout', { refresh_token: session.refresh });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`logout answered ${res.status}`);
  }

  /** The resource-service's status for `token` on the protected route. */
  async status(token: string): Promise<number> {
    const res = await fetch(`${this.resource().url}/resource/protected`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  }

  /** Milliseconds from now until `token` is refused (polling every 10 ms), or undefined past `BOUND_MS` + 1 s. */
  async refusedAfter(token: string): Promise<number | undefined> {
    const start = Date.now();
    while ((await this.status(token)) === 200) {
      if (Date.now() - start > BOUND_MS + 1_000) return undefined;
      await sleep(10);
    }
    return Date.now() - start;
  }
}

/** `median=… ms max=… ms` of a list of delays. */
export function spread(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `n=${ms.length} median=${sorted[Math.floor(sorted.length / 2)]} ms max=${sorted.at(-1)} ms`;
}
