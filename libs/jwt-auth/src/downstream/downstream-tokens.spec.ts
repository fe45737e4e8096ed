import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { DownstreamTokenError, JwtAuthOptionsError } from '../jwt-auth.errors.js';
import { resolveJwtAuthOptions } from '../jwt-auth.options.js';
import { ScriptedServer } from '../testing/scripted-server.js';
import { DownstreamTokens } from './downstream-tokens.js';

describe('DownstreamTokens against a scripted issuer', () => {
  let issuer: ScriptedServer;
  let settings: JwtAuthSettings;
  let tokenAnswer: { status: number; body: unknown };
  let forms: URLSearchParams[];
  let authorizations: string[];

  beforeEach(async () => {
    issuer = await ScriptedServer.start();
    forms = [];
    authorizations = [];
    tokenAnswer = { status: 200, body: { access_token: 'downstream-1', token_type: 'Bearer', expires_in: 300 } };
    issuer.handler = (request, response) => {
      if (request.url === '/.well-known/oauth-authorization-server') {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: issuer.url, token_endpoint: `${issuer.url}/oauth/token` }));
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        forms.push(new URLSearchParams(Buffer.concat(chunks).toString()));
        authorizations.push(request.headers.authorization ?? '');
        response.writeHead(tokenAnswer.status, { 'content-type': 'application/json' }).end(JSON.stringify(tokenAnswer.body));
      });
    };
    settings = resolveJwtAuthOptions({
      issuer: issuer.url,
      audience: 'orders',
      revocationFeedUri: false,
      client: { id: 'orders:svc', secret: 's3cr:et+', timeout: '1s' },
    });
  });
  afterEach(() => issuer.stop());

  const userRequest = { headers: { authorization: 'Bearer subject-token' }, user: { userId: 'u1', username: 'ann', scopes: [], tokenId: 'j', expiresAt: 1 } };

  it('finds the token endpoint in the metadata once and exchanges with Basic credentials, form-encoded (RFC 6749 2.3.1)', async () => {
    const tokens = new DownstreamTokens(settings, () => Date.now());
    expect(await tokens.forUser(userRequest, 'billing')).toBe('downstream-1');
    expect(await tokens.forService('billing')).toBe('downstream-1');
    expect(issuer.count('/.well-known/')).toBe(1);
    expect(Object.fromEntries(forms[0])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'subject-token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'billing',
    });
    expect(Object.fromEntries(forms[1])).toEqual({ grant_type: 'client_credentials', audience: 'billing' });
    expect(Buffer.from(authorizations[0].slice('Basic '.length), 'base64').toString()).toBe('orders%3Asvc:s3cr%3Aet%2B');
  });

  it.each([
    ['a refusal', 400, { error: 'invalid_target', error_description: 'no' }, 502, 'invalid_target'],
    ['a 5xx', 503, { error: 'temporarily_unavailable' }, 503, undefined],
    ['an answer without access_token', 200, { token_type: 'Bearer', expires_in: 300 }, 503, undefined],
    ['a DPoP token', 200, { access_token: 'x', token_type: 'DPoP', expires_in: 300 }, 503, undefined],
    ['no expires_in', 200, { access_token: 'x', token_type: 'Bearer' }, 503, undefined],
  ])('%s: DownstreamTokenError %s, nothing kept', async (_case, status, body, answered, issuerError) => {
    tokenAnswer = { status, body };
    const tokens = new DownstreamTokens(settings, () => Date.now());
    const error = await tokens.forUser(userRequest, 'billing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownstreamTokenError);
    expect(error).toMatchObject({ status: answered, issuerError });
    expect((error as Error).message).not.toContain('subject-token');
    expect(tokens.size).toBe(0);
  });

  it('without a user on the request, or without client options, refuses before any request', async () => {
    const tokens = new DownstreamTokens(settings, () => Date.now());
    await expect(tokens.forUser({ headers: {} }, 'billing')).rejects.toMatchObject({ status: 401 });
    await expect(tokens.forUser({ ...userRequest, user: { clientId: 'svc', scopes: [], tokenId: 'j', expiresAt: 1 } }, 'billing')).rejects.toBeInstanceOf(
      DownstreamTokenError,
    );
    const unconfigured = new DownstreamTokens(resolveJwtAuthOptions({ issuer: issuer.url, audience: 'orders', revocationFeedUri: false }), () => 0);
    await expect(unconfigured.forService('billing')).rejects.toBeInstanceOf(JwtAuthOptionsError);
    expect(issuer.paths).toEqual([]);
  });

  it('refuses bad client options at start', () => {
    expect(() => resolveJwtAuthOptions({ issuer: issuer.url, audience: 'a', client: { id: '', secret: 'x' } })).toThrow('"client.id"');
    expect(() => resolveJwtAuthOptions({ issuer: issuer.url, audience: 'a', client: { id: 'a', secret: '' } })).toThrow('"client.secret"');
    expect(() => resolveJwtAuthOptions({ issuer: issuer.url, audience: 'a', client: { id: 'a', secret: 'x', tokenEndpoint: 'ftp://x' } })).toThrow(
      '"client.tokenEndpoint"',
    );
  });
});
