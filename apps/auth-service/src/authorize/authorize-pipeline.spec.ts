import type { Client } from '../clients/client.entity.js';
import type { ClientsService } from '../clients/clients.service.js';
import { PageError } from './authorize-errors.js';
import { validateAuthorizationRequest } from './authorize-pipeline.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
/** RFC 9449 §10's example `dpop_jkt`. */
const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const web: Client = {
  id: 'web',
  grantTypes: ['authorization_code'],
  scopes: ['openid', 'profile'],
  audiences: ['billing'],
  serves: [],
  introspect: false,
  dpopBound: false,
  public: false,
  redirectUris: ['https://app.example/cb'],
  postLogoutRedirectUris: [],
  firstParty: false,
  disabled: false,
  createdAt: 0,
};
const registered: Record<string, Client> = {
  web,
  off: { ...web, id: 'off', disabled: true },
  cc: { ...web, id: 'cc', grantTypes: ['client_credentials'] },
  // Registered --id-token-alg ES256 under an earlier JWT_ALGORITHM; ES384 signs now.
  es256: { ...web, id: 'es256', idTokenAlg: 'ES256' },
  es384: { ...web, id: 'es384', idTokenAlg: 'ES384' },
};
const clients = {
  find: async (id: string) => registered[id],
  idTokenAlgorithms: ['RS256', 'ES384'],
} as unknown as ClientsService;
const good = {
  response_type: 'code',
  client_id: 'web',
  redirect_uri: 'https://app.example/cb',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  state: 's',
};
const run = (params: Record<string, string | string[] | undefined>) => validateAuthorizationRequest(params, clients, ['resource-service']);

describe('the authorization request pipeline', () => {
  it('builds the request from a good one: all registered scopes when none is asked, the default audience', async () => {
    const result = await run(good);
    expect(result).toMatchObject({
      kind: 'valid',
      request: { clientId: 'web', redirectUri: 'https://app.example/cb', scope: ['openid', 'profile'], codeChallenge: CHALLENGE, prompt: [], state: 's' },
    });
    expect(result.kind === 'valid' && result.request.audience).toBeUndefined();
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['a disabled client', { client_id: 'off' }],
    ['a client without the code grant', { client_id: 'cc' }],
    ['a client registered for ID tokens of an algorithm no longer signed', { client_id: 'es256' }],
    ['client_id twice', { client_id: ['web', 'web'] }],
    ['no redirect_uri', { redirect_uri: undefined }],
    ['a redirect_uri that is not registered', { redirect_uri: 'https://app.example/cb2' }],
  ])('%s is a page error (checks client and redirect URI first, even when everything else is wrong too)', async (_name, change) => {
    await expect(run({ ...good, response_type: 'token', code_challenge: undefined, ...change })).rejects.toBeInstanceOf(PageError);
  });

  it.each([
    ['PKCE missing', { code_challenge: undefined }, 'invalid_request'],
    ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
    ['a scope not registered', { scope: 'openid email' }, 'invalid_scope'],
    ['a resource not allowed', { resource: 'other' }, 'invalid_target'],
    ['prompt=none login', { prompt: 'none login' }, 'invalid_request'],
    ['max_age not a number', { max_age: '1h' }, 'invalid_request'],
    ['state twice', { state: ['a', 'b'] }, 'invalid_request'],
    ['dpop_jkt of 42 characters', { dpop_jkt: JKT.slice(1) }, 'invalid_request'],
    ['dpop_jkt of 44 characters', { dpop_jkt: `${JKT}A` }, 'invalid_request'],
    ['dpop_jkt padded', { dpop_jkt: `${JKT.slice(1)}=` }, 'invalid_request'],
    ['dpop_jkt in base64, not base64url', { dpop_jkt: `${JKT.slice(2)}+/` }, 'invalid_request'],
    ['dpop_jkt as a JWK', { dpop_jkt: '{"kty":"EC","crv":"P-256","x":"…","y":"…"}' }, 'invalid_request'],
    ['dpop_jkt twice', { dpop_jkt: [JKT, JKT] }, 'invalid_request'],
  ])('%s is refused with a redirect: %s', async (_name, change, error) => {
    const result = await run({ ...good, ...change });
    expect(result).toMatchObject({ kind: 'refused', redirectUri: 'https://app.example/cb', error: { error } });
  });

  it('keeps dpop_jkt for the code to be bound to; without it, nothing is bound (a --dpop-bound client too)', async () => {
    expect(await run({ ...good, dpop_jkt: JKT })).toMatchObject({ kind: 'valid', request: { dpopJkt: JKT } });
    const without = await run(good);
    expect(without.kind === 'valid' && without.request.dpopJkt).toBeUndefined();
    const bound = await validateAuthorizationRequest(good, { find: async () => ({ ...web, dpopBound: true }) } as unknown as ClientsService, []);
    expect(bound).toMatchObject({ kind: 'valid', request: { clientId: 'web' } });
  });

  it('a malformed dpop_jkt is a page error, not a redirect, while the redirect URI is not known good', async () => {
    await expect(run({ ...good, redirect_uri: 'https://evil.example/cb', dpop_jkt: 'x' })).rejects.toBeInstanceOf(PageError);
  });

  it('takes a client registered for ID tokens of an algorithm signed here', async () => {
    expect(await run({ ...good, client_id: 'es384' })).toMatchObject({ kind: 'valid', request: { clientId: 'es384' } });
  });

  it('keeps a registered audience, prompt and max_age', async () => {
    expect(await run({ ...good, resource: 'billing', prompt: 'login consent', max_age: '300' })).toMatchObject({
      kind: 'valid',
      request: { audience: 'billing', prompt: ['login', 'consent'], maxAge: 300 },
    });
  });
});
