import { createHash, randomBytes } from 'node:crypto';
import type { RunningAuth } from './auth-app.js';
import { registerClient } from './oauth.js';

/**
 * A browser without a browser, for the e2e specs of the hosted pages: plain HTTP with a cookie jar,
 * redirects not followed (each hop is asserted), forms read from the HTML.
 */
export class Browser {
  /** The Set-Cookie lines of the last answer, as sent. */
  setCookies: string[] = [];

  constructor(
    private readonly base: string,
    private readonly jar = new Map<string, string>(),
  ) {}

  /** The same browser (its cookies) talking to another replica behind the same name. */
  at(base: string): Browser {
    return new Browser(base, this.jar);
  }

  get cookieNames(): string[] {
    return [...this.jar.keys()];
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    this.setCookies = response.headers.getSetCookie();
    for (const line of this.setCookies) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }
}

/** The form of a page: its action and hidden csrf_token. */
export function formOf(html: string): { action: string; csrfToken: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrfToken = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrfToken) throw new Error(`no form in page: ${html.slice(0, 300)}`);
  return { action, csrfToken };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** Registers a browser client; returns its secret ('' for a public one). */
export function registerWebClient(
  auth: RunningAuth,
  id: string,
  options: {
    public?: boolean;
    firstParty?: boolean;
    scopes?: string[];
    redirectUris?: string[];
    postLogoutRedirectUris?: string[];
    refresh?: boolean;
    dpopBound?: boolean;
    idTokenAlg?: string;
  } = {},
): Promise<string> {
  return registerClient(auth, {
    id,
    grantTypes: options.refresh === false ? ['authorization_code'] : ['authorization_code', 'refresh_token'],
    scopes: options.scopes ?? ['openid', 'profile', 'resource:read'],
    redirectUris: options.redirectUris ?? [REDIRECT_URI],
    postLogoutRedirectUris: options.postLogoutRedirectUris ?? ['http://127.0.0.1:9/bye'],
    public: options.public ?? false,
    firstParty: options.firstParty ?? false,
    dpopBound: options.dpopBound ?? false,
    ...(options.idTokenAlg !== undefined && { idTokenAlg: options.idTokenAlg }),
  });
}

/** An authorization request's query, with PKCE S256 and the defaults a well-behaved client sends. */
export function authorizeQuery(clientId: string, challenge: string, extra: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state: 'st-123',
    nonce: 'n-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, v);
  return `/oauth/authorize?${query}`;
}

/** The parameters of a redirect back to the client. */
export function callbackParams(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location).searchParams;
}

/**
 * Drives a full sign-in with the sign-in page (and consent when shown), returning the callback's
 * parameters: the browser keeps its cookies for the next flow.
 */
export async function signIn(browser: Browser, query: string, username = 'testuser', password = 'password'): Promise<URLSearchParams> {
  let response = await browser.get(query);
  if (response.status !== 303) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  for (let step = 0; step < 3; step++) {
    const location = response.headers.get('location');
    if (!location?.startsWith('/oauth/interaction/')) break;
    const html = await (await browser.get(location)).text();
    const form = formOf(html);
    const fields: Record<string, string> = html.includes('name="password"') ? { username, password } : { decision: 'allow' };
    response = await browser.post(form.action, { csrf_token: form.csrfToken, ...fields });
  }
  return callbackParams(response);
}
