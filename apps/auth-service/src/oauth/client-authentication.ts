import { Injectable } from '@nestjs/common';
import { type Client, CLIENT_ID_PATTERN } from '../clients/client.entity.js';
import { ClientsService } from '../clients/clients.service.js';
import { invalidClient, invalidRequest } from './oauth.error.js';

/** How the client proved who it is (RFC 6749 2.3; the metadata's `token_endpoint_auth_methods_supported`). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];

export interface AuthenticatedClient {
  client: Client;
  method: ClientAuthMethod;
}

interface Presented {
  id: string;
  secret?: string;
  method: ClientAuthMethod;
}

/** RFC 6749 2.3.1: id and secret are form-urlencoded before they go into Basic (`+` is a space). */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** `Basic base64(urlencode(id) ":" urlencode(secret))`; undefined when the header is not that. */
export function parseBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id && secret !== undefined ? { id, secret } : undefined;
}

/**
 * Which credentials the request carries; exactly one method, or the request is refused. An id that
 * is not a client id (CLIENT_ID_PATTERN: a NUL byte, a control character, a space) is refused as an
 * unknown client before any lookup.
 */
function presented(authorization: string | undefined, body: { client_id?: string; client_secret?: string }): Presented {
  const credentials = presentedAs(authorization, body);
  if (!CLIENT_ID_PATTERN.test(credentials.id)) throw invalidClient(credentials.method === 'client_secret_basic');
  return credentials;
}

function presentedAs(authorization: string | undefined, body: { client_id?: string; client_secret?: string }): Presented {
  if (authorization !== undefined && /^Basic\b/i.test(authorization)) {
    if (body.client_secret !== undefined) throw invalidRequest('use one client authentication method, not both Basic and client_secret');
    const basic = parseBasic(authorization);
    if (!basic) throw invalidClient(true);
    if (body.client_id !== undefined && body.client_id !== basic.id) throw invalidRequest('client_id differs from the one in the Authorization header');
    return { ...basic, method: 'client_secret_basic' };
  }
  if (authorization !== undefined) throw invalidRequest('the Authorization header must use the Basic scheme (client_secret_basic)');
  if (body.client_id === undefined || body.client_id === '') throw invalidClient(false);
  if (body.client_secret !== undefined) return { id: body.client_id, secret: body.client_secret, method: 'client_secret_post' };
  return { id: body.client_id, method: 'none' };
}

/**
 * Client authentication of the `/oauth/*` routes: `client_secret_basic`, `client_secret_post` for
 * confidential clients, `none` (just `client_id`) for public ones. Every failure is one
 * `invalid_client`, whether the id is unknown, the secret wrong or the client disabled.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly clients: ClientsService) {}

  async authenticate(authorization: string | undefined, body: { client_id?: string; client_secret?: string }): Promise<AuthenticatedClient> {
    const credentials = presented(authorization, body);
    const client = await this.clients.authenticate(credentials.id, credentials.secret);
    if (!client) throw invalidClient(credentials.method === 'client_secret_basic');
    return { client, method: credentials.method };
  }
}
