import type { Client } from '../clients/client.entity.js';

export type Prompt = 'none' | 'login' | 'consent';

/** An authorization request once every check passed: what an interaction keeps and a code is bound to. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope: string[];
  audience?: string;
  codeChallenge: string;
  /** RFC 9449 §10: the thumbprint of the DPoP key the code is bound to. */
  dpopJkt?: string;
  prompt: Prompt[];
  /** Seconds (OpenID Connect Core 3.1.2.1). */
  maxAge?: number;
}

/** The query (or form) of `/oauth/authorize`: one string per name; a repeated name arrives as an array. */
export type AuthorizeParams = Record<string, string | string[] | undefined>;

/** What the pipeline's checks build up, one field per check. */
export interface AuthorizeContext {
  params: AuthorizeParams;
  client?: Client;
  redirectUri?: string;
  request: Partial<AuthorizationRequest>;
}

/** The single value of a parameter; undefined when absent, `null` when repeated (RFC 6749 3.1: at most once). */
export function single(params: AuthorizeParams, name: string): string | undefined | null {
  const value = params[name];
  if (Array.isArray(value)) return null;
  return value === '' ? undefined : value;
}
