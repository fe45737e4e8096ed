import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the app remembers of one browser. */
export interface Session {
  /** Between /login and /callback: what the answer must match. */
  pending?: { codeVerifier: string; state: string; nonce: string };
  /** After /callback: the tokens, and the ID token's claims openid-client checked. */
  signedIn?: { accessToken: string; idToken: string; claims: Record<string, unknown>; scope: string; expiresAt: number };
  /** The last answer of the resource-service, shown on the page. */
  answer?: { status: number; body: string };
}

const COOKIE = 'sign_in_app_session';
const TTL_MS = 60 * 60 * 1000;

/**
 * Sessions kept in this process's memory, found by a random id in a cookie. The tokens stay on the
 * server: the browser holds only the id, in an HttpOnly cookie that no script (an XSS, an extension's
 * content script) can read, so no token ever sits in the browser's storage, a URL or a page.
 * SameSite=Lax: the cookie comes along on the top-level GET that brings the browser back from the
 * auth-service to /callback, and never on another site's POST. (Behind https it would be Secure too.)
 * A restart forgets everyone: fine for a demo, a shared store (Redis, a database) for a real app.
 */
export class Sessions {
  private readonly byId = new Map<string, { session: Session; expiresAt: number }>();

  get(request: IncomingMessage): Session | undefined {
    const id = cookieOf(request, COOKIE);
    const entry = id === undefined ? undefined : this.byId.get(id);
    if (entry && entry.expiresAt > Date.now()) return entry.session;
    if (id !== undefined) this.byId.delete(id);
    return undefined;
  }

  /** A new session under a new id (and the browser's old one forgotten): ids change when the user signs in. */
  start(request: IncomingMessage, response: ServerResponse, session: Session): void {
    this.end(request, response);
    for (const [id, entry] of this.byId) if (entry.expiresAt <= Date.now()) this.byId.delete(id);
    const id = randomBytes(32).toString('base64url');
    this.byId.set(id, { session, expiresAt: Date.now() + TTL_MS });
    response.setHeader('set-cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
  }

  end(request: IncomingMessage, response: ServerResponse): void {
    const id = cookieOf(request, COOKIE);
    if (id === undefined) return;
    this.byId.delete(id);
    response.setHeader('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  }
}

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
