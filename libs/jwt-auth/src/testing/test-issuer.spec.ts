import { actorChain, type AuthenticatedUser } from '@app/contracts';
import { DEFAULT_REVOCATION_FEED_MAX_BYTES } from '../jwt-auth.constants.js';
import { toAuthenticatedUser } from '../verification/authenticated-user.js';
import { fetchFeed } from '../revocation/revocation-feed-fetcher.js';
import { createTestIssuer, type TestIssuer } from './test-issuer.js';

const METADATA = '/.well-known/oauth-authorization-server';

describe('createTestIssuer({ revocations: true }): a feed in the auth-service format', () => {
  let kit: TestIssuer;
  const read = (uri: string, etag?: string) => fetchFeed(uri, etag, { timeoutMs: 1_000, maxBytes: DEFAULT_REVOCATION_FEED_MAX_BYTES, issuer: kit.issuer });

  beforeAll(async () => {
    kit = await createTestIssuer({ revocations: true });
  });
  afterAll(() => kit.close());

  it('advertises it in the metadata', async () => {
    const metadata = await (await fetch(`${kit.issuer}${METADATA}`)).json();

    expect(metadata).toMatchObject({ issuer: kit.issuer, revocation_feed_endpoint: `${kit.issuer}/oauth/revocations` });
    expect(kit.revocationFeedUri).toBe(`${kit.issuer}/oauth/revocations`);
  });

  it('is read by the verifier: everything, then only what is new, a 304 when nothing is', async () => {
    const feed = kit.revocationFeedUri!;
    kit.revoke({ sid: 'session-1' });
    const first = await read(feed);
    expect(first).toMatchObject({ status: 'ok', full: true, entries: [{ type: 'sid', value: 'session-1' }] });
    const { cursor, etag } = first as { cursor: string; etag: string };

    kit.revoke({ jti: 'token-1' });
    kit.revoke({ client_id: 'svc' });
    const next = await read(`${feed}?since=${cursor}`, etag);
    expect(next).toMatchObject({
      status: 'ok',
      full: false,
      entries: [
        { type: 'jti', value: 'token-1' },
        { type: 'client_id', value: 'svc' },
      ],
    });
    const latest = next as { cursor: string; etag: string };
    await expect(read(`${feed}?since=${latest.cursor}`, latest.etag)).resolves.toEqual({ status: 'not_modified' });
    await expect(read(`${feed}?since=999`)).resolves.toMatchObject({ status: 'ok', full: true, entries: { length: 3 } });
    expect((await fetch(`${feed}?since=abc`)).status).toBe(400);
  });

  it.each([{}, { sid: '' }, { sid: 's', jti: 'j' }, { scope: 'x' }, { jti: 5 }])('revoke(%j) is refused', (target) => {
    expect(() => kit.revoke(target as never)).toThrow(TypeError);
  });
});

describe('createTestIssuer() without revocations', () => {
  it('advertises no feed, serves none, and revoke() says how to get one', async () => {
    const kit = await createTestIssuer();
    try {
      const metadata = (await (await fetch(`${kit.issuer}${METADATA}`)).json()) as Record<string, unknown>;
      expect(metadata.revocation_feed_endpoint).toBeUndefined();
      expect((await fetch(`${kit.issuer}/oauth/revocations`)).status).toBe(404);
      expect(kit.revocationFeedUri).toBeUndefined();
      expect(() => kit.revoke({ sid: 's' })).toThrow('createTestIssuer({ revocations: true })');
    } finally {
      await kit.close();
    }
  });
});

describe('createTestIssuer: exchanged tokens', () => {
  it('signExchanged nests act as the auth-service does, the nearest service first', async () => {
    const kit = await createTestIssuer({ audience: 'payments' });
    try {
      const token = await kit.signExchanged(['billing', 'orders'], { scope: 'payments:read' });
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({ aud: 'payments', client_id: 'billing', act: { sub: 'billing', act: { sub: 'orders' } }, scope: 'payments:read' });
      expect(actorChain(toAuthenticatedUser(claims) as AuthenticatedUser)).toEqual(['billing', 'orders']);
      await expect(async () => kit.signExchanged([])).rejects.toThrow(TypeError);
    } finally {
      await kit.close();
    }
  });
});
