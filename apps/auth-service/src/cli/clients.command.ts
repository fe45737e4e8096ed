import {
  CLIENT_ID_PATTERN,
  type Client,
  CONFIDENTIAL_GRANTS,
  GRANT_TYPES,
  grantName,
  type GrantType,
  isGrantType,
  servedAudiences,
  TOKEN_EXCHANGE_GRANT,
} from '../clients/client.entity.js';
import { ClientIdUnavailableError, type ClientsService, type NewClient } from '../clients/clients.service.js';
import { registrationProblem, registrationWarnings } from '../clients/registration-rules.js';
import { table } from './table.js';

const USAGE = [
  'usage: clients add <client_id> [--grant client_credentials|password|refresh_token|authorization_code|token-exchange]... [--scope "a b"]',
  '                   [--audience aud]... [--serves aud]... [--redirect-uri uri]... [--post-logout-redirect-uri uri]...',
  '                   [--introspect] [--public] [--first-party] [--dpop-bound] [--id-token-alg alg] [--json]',
  '       clients list',
  '       clients rotate-secret <client_id> [--json]',
  '       clients disable <client_id>         (also ends all of its sessions)',
  '       clients enable <client_id>',
  '       clients remove <client_id>          (also ends all of its sessions)',
].join('\n');

/** RFC 6749 3.3 scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const AUDIENCE = /^[\x21-\x7E]{1,255}$/;

type Parsed = { spec: NewClient; json: boolean } | { problem: string };

/**
 * The options of `clients add`, checked; a problem is reported with exit code 2. `idTokenAlgorithms`:
 * what `--id-token-alg` may name (RS256, and JWT_ALGORITHM).
 */
function parseAdd(id: string, options: string[], idTokenAlgorithms: readonly string[]): Parsed {
  const grants: GrantType[] = [];
  const audiences: string[] = [];
  const serves: string[] = [];
  let introspect = false;
  let dpopBound = false;
  let scopes: string[] = [];
  const redirectUris: string[] = [];
  const postLogoutRedirectUris: string[] = [];
  let isPublic = false;
  let firstParty = false;
  let idTokenAlg: string | undefined;
  let json = false;
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    if (option === '--public') isPublic = true;
    else if (option === '--first-party') firstParty = true;
    else if (option === '--json') json = true;
    else if (option === '--introspect') introspect = true;
    else if (option === '--dpop-bound') dpopBound = true;
    else if (
      option === '--grant' ||
      option === '--scope' ||
      option === '--audience' ||
      option === '--serves' ||
      option === '--redirect-uri' ||
      option === '--post-logout-redirect-uri' ||
      option === '--id-token-alg'
    ) {
      const value = options[++i];
      if (value === undefined) return { problem: `${option} needs a value` };
      if (option === '--id-token-alg') idTokenAlg = value;
      else if (option === '--redirect-uri' || option === '--post-logout-redirect-uri') {
        const uris = option === '--redirect-uri' ? redirectUris : postLogoutRedirectUris;
        if (!uris.includes(value)) uris.push(value);
      } else if (option === '--grant') {
        const grant = value === 'token-exchange' ? TOKEN_EXCHANGE_GRANT : value;
        if (!isGrantType(grant)) return { problem: `--grant must be one of ${GRANT_TYPES.map(grantName).join(', ')}` };
        if (!grants.includes(grant)) grants.push(grant);
      } else if (option === '--scope') {
        scopes = value.split(' ').filter(Boolean);
        if (!scopes.every((s) => SCOPE_TOKEN.test(s))) return { problem: 'a scope is printable ASCII without spaces, quotes or backslashes' };
      } else {
        if (!AUDIENCE.test(value)) return { problem: 'an audience is 1-255 printable ASCII characters without spaces' };
        const into = option === '--audience' ? audiences : serves;
        if (!into.includes(value)) into.push(value);
      }
    } else return { problem: `unknown option ${option}` };
  }
  if (grants.length === 0) grants.push(...((isPublic ? ['password', 'refresh_token'] : ['client_credentials']) as GrantType[]));
  const confidentialOnly = grants.find((grant) => CONFIDENTIAL_GRANTS.includes(grant));
  if (isPublic && confidentialOnly) return { problem: `a public client cannot use ${grantName(confidentialOnly)} (confidential clients only)` };
  if (isPublic && introspect) return { problem: 'a public client cannot introspect (RFC 7662 2.1: introspection needs client authentication)' };
  const spec = {
    id,
    grantTypes: grants,
    scopes,
    audiences,
    serves,
    introspect,
    dpopBound,
    public: isPublic,
    redirectUris,
    postLogoutRedirectUris,
    firstParty,
    ...(idTokenAlg !== undefined && { idTokenAlg }),
  };
  const problem = registrationProblem(spec, idTokenAlgorithms);
  return problem ? { problem } : { spec, json };
}

function describe(client: Client): string {
  const scopes = client.scopes === null ? "the user's" : client.scopes.join(' ') || '(none)';
  const introspects = client.introspect ? `; introspects tokens for ${servedAudiences(client).join(' ')}` : '';
  const dpop = client.dpopBound ? '; DPoP-bound tokens only' : '';
  const redirects = client.redirectUris.length ? `; redirect URIs ${client.redirectUris.join(' ')}` : '';
  const idTokens = client.idTokenAlg ? `; ID tokens ${client.idTokenAlg}` : '';
  return `${client.public ? 'public' : 'confidential'}${client.firstParty ? ', first-party' : ''}; grants ${client.grantTypes.map(grantName).join(' ')}; scopes ${scopes}${introspects}${dpop}${redirects}${idTokens}`;
}

function secretLines(id: string, secret: string, json: boolean): string[] {
  if (json) return [JSON.stringify({ client_id: id, client_secret: secret })];
  return [`client_secret: ${secret}`, 'the secret is shown only this once: store it now'];
}

/** `clients add|list|rotate-secret|disable|enable|remove`. Returns the process exit code. */
export async function clientsCommand(clients: ClientsService, args: string[], out: (line: string) => void): Promise<number> {
  const [action, id, ...rest] = args;
  try {
    if (action === 'list') {
      const rows = (await clients.list()).map((c) => [
        c.id,
        `${c.public ? 'public' : 'confidential'}${c.firstParty ? ' first-party' : ''}`,
        c.grantTypes.map(grantName).join(' '),
        c.scopes === null ? '(user)' : c.scopes.join(' ') || '-',
        c.audiences.join(' ') || '-',
        servedAudiences(c).join(' '),
        c.introspect ? 'yes' : 'no',
        c.dpopBound ? 'yes' : 'no',
        c.redirectUris.join(' ') || '-',
        c.idTokenAlg ?? (c.grantTypes.includes('authorization_code') ? 'RS256' : '-'),
        c.disabled ? 'disabled' : 'active',
        c.createdAt === 0 ? 'built-in' : new Date(c.createdAt).toISOString(),
      ]);
      out(
        table([
          ['CLIENT_ID', 'TYPE', 'GRANTS', 'SCOPES', 'AUDIENCES', 'SERVES', 'INTROSPECT', 'DPOP_BOUND', 'REDIRECT_URIS', 'ID_TOKEN_ALG', 'STATUS', 'CREATED'],
          ...rows,
        ]),
      );
      return 0;
    }
    if (!id) {
      out(USAGE);
      return 2;
    }
    if (action === 'add') {
      if (!CLIENT_ID_PATTERN.test(id)) {
        out('error: a client id is 1-128 letters, digits or . _ : -, starting with a letter or digit');
        return 2;
      }
      const parsed = parseAdd(id, rest, clients.idTokenAlgorithms);
      if ('problem' in parsed) {
        out(`error: ${parsed.problem}`);
        return 2;
      }
      const { client, secret } = await clients.register(parsed.spec);
      if (!parsed.json) registrationWarnings(client).forEach((line) => out(line));
      if (parsed.json) out(JSON.stringify({ client_id: client.id, client_secret: secret ?? null }));
      else {
        out(`created client ${client.id} (${describe(client)})`);
        if (secret) secretLines(client.id, secret, false).forEach((line) => out(line));
      }
      return 0;
    }
    if (action === 'rotate-secret') {
      const secret = await clients.rotateSecret(id);
      if (!secret) return missing(out, id, 'confidential client');
      if (!rest.includes('--json')) out(`new secret for ${id}; the old one no longer works`);
      secretLines(id, secret, rest.includes('--json')).forEach((line) => out(line));
      return 0;
    }
    if (action === 'disable' || action === 'enable' || action === 'remove') {
      const result = action === 'remove' ? await clients.remove(id) : await clients.setDisabled(id, action === 'disable');
      if (!result) return missing(out, id, 'client');
      const ended = action === 'enable' ? '' : `; ended ${result.endedSessions} session${result.endedSessions === 1 ? '' : 's'}`;
      out(`${action === 'remove' ? 'removed' : `${action}d`} client ${id}${ended}`);
      return 0;
    }
  } catch (error) {
    if (!(error instanceof ClientIdUnavailableError)) throw error;
    out(`error: ${error.message}`);
    return 1;
  }
  out(USAGE);
  return 2;
}

function missing(out: (line: string) => void, id: string, what: string): number {
  out(`error: no ${what} "${id}"`);
  return 1;
}
