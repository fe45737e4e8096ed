import type { ExecutionContext } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import passport from 'passport';
import { ErrorCode, type AuthenticatedCaller } from '@app/contracts';
import { JwtAuthGuard } from '../jwt-auth.guard.js';
import { JWT_AUTH_STRATEGY } from '../jwt-auth.constants.js';
import { JwtAuthModule } from '../jwt-auth.module.js';
import { RevocationPoller } from '../revocation/revocation-poller.js';
import { createTestIssuer, type TestIssuer } from '../testing/test-issuer.js';
import { JwtAuthStrategy } from './jwt-auth.strategy.js';

const AUDIENCE = 'orders-service';

/** What one passport attempt with the registered `jwt` strategy ended in (passport's callback form, as `AuthGuard` uses it). */
interface Attempt {
  error: unknown;
  user: unknown;
  info: unknown;
  status: unknown;
}

function viaPassport(authorization?: string, extra: Record<string, string> = {}): Promise<Attempt> {
  const request = {
    method: 'GET',
    url: '/orders',
    protocol: 'http',
    headers: { host: 'orders.test', ...extra, ...(authorization === undefined ? {} : { authorization }) },
  };
  return new Promise((resolve, reject) => {
    passport.authenticate(JWT_AUTH_STRATEGY, { session: false }, (error: unknown, user: unknown, info: unknown, status: unknown) =>
      resolve({ error, user, info, status }),
    )(request, {}, reject);
  });
}

/** A protected route (no `@Public()`, no scope) as the guard sees it. */
function routeContext(request: { headers: Record<string, string>; user?: AuthenticatedCaller }): ExecutionContext {
  class Controller {
    handler(): void {}
  }
  return {
    getHandler: () => Controller.prototype.handler,
    getClass: () => Controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('JwtAuthGuard and the passport strategy `jwt`: one path, revocation included', () => {
  let kit: TestIssuer;
  let moduleRef: TestingModule;
  let guard: JwtAuthGuard;
  let poller: RevocationPoller;

  beforeAll(async () => {
    kit = await createTestIssuer({ audience: AUDIENCE, revocations: true });
    moduleRef = await Test.createTestingModule({
      imports: [JwtAuthModule.forRoot({ issuer: kit.issuer, audience: AUDIENCE, revocationFeedUri: kit.revocationFeedUri })],
      providers: [JwtAuthStrategy],
    }).compile();
    guard = moduleRef.get(JwtAuthGuard);
    poller = moduleRef.get(RevocationPoller);
    await poller.poll();
  });

  afterAll(async () => {
    await moduleRef.close();
    await kit.close();
  });

  const viaGuard = async (token: string) => {
    const request: { headers: Record<string, string>; user?: AuthenticatedCaller } = { headers: { authorization: `Bearer ${token}` } };
    await guard.canActivate(routeContext(request));
    return request.user;
  };

  it('registers itself with passport as `jwt` and hands the verified caller to passport, as the guard puts it on the request', async () => {
    const token = await kit.sign({ sub: 'u-7', username: 'dora' });

    const attempt = await viaPassport(`Bearer ${token}`);

    expect(attempt).toMatchObject({ error: null, user: { userId: 'u-7', username: 'dora' } });
    await expect(viaGuard(token)).resolves.toEqual(attempt.user);
  });

  it('fails (401, the next strategy may try) on a missing or forged token, with the refusal as the challenge', async () => {
    const forged = `${(await kit.sign()).slice(0, -8)}AAAAAAAA`;

    await expect(viaPassport()).resolves.toMatchObject({ error: null, user: false, status: 401, info: { code: ErrorCode.TokenMissing } });
    await expect(viaPassport(`Bearer ${forged}`)).resolves.toMatchObject({ error: null, user: false, status: 401, info: { code: ErrorCode.TokenInvalid } });
    await expect(viaGuard(forged)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid });
  });

  it('refuses a token the revocation feed lists, through the guard and through passport, and only that one', async () => {
    const revoked = await kit.sign({ sid: 'session-revoked', jti: 'token-a' });
    const other = await kit.sign({ sid: 'session-kept', jti: 'token-b' });
    // Verified (and cached) before the revocation: a cached token is checked against the feed too.
    await viaGuard(revoked);
    await viaGuard(revoked);

    kit.revoke({ sid: 'session-revoked' });
    await poller.poll();

    await expect(viaGuard(revoked)).rejects.toMatchObject({ code: ErrorCode.TokenInvalid, reason: 'revoked: its session (sid) is listed' });
    await expect(viaPassport(`Bearer ${revoked}`)).resolves.toMatchObject({ user: false, status: 401, info: { code: ErrorCode.TokenInvalid } });
    await expect(viaGuard(other)).resolves.toMatchObject({ sessionId: 'session-kept' });
  });

  it('checks DPoP the same way through the guard and through passport: a good proof passes, a replay, another key and a Bearer downgrade fail', async () => {
    const key = await kit.dpop();
    const other = await kit.dpop('EdDSA');
    const token = await kit.sign({ sub: 'u-8', username: 'erin' }, { dpop: key });
    const htu = 'http://orders.test/orders';
    const viaGuardDpop = async (proof: string) => {
      const request = { method: 'GET', url: '/orders', protocol: 'http', headers: { host: 'orders.test', authorization: `DPoP ${token}`, dpop: proof } };
      await guard.canActivate(routeContext(request as never));
      return (request as { user?: AuthenticatedCaller }).user;
    };

    await expect(viaGuardDpop(await key.proof('GET', htu, { accessToken: token }))).resolves.toMatchObject({ userId: 'u-8', keyThumbprint: key.jkt });
    const proof = await key.proof('GET', htu, { accessToken: token });
    await expect(viaPassport(`DPoP ${token}`, { dpop: proof })).resolves.toMatchObject({ error: null, user: { userId: 'u-8' } });
    await expect(viaPassport(`DPoP ${token}`, { dpop: proof })).resolves.toMatchObject({ status: 401, info: { code: ErrorCode.DpopProofInvalid } });
    await expect(viaGuardDpop(proof)).rejects.toMatchObject({
      code: ErrorCode.DpopProofInvalid,
      reason: 'invalid DPoP proof: the proof was used before ("jti")',
    });
    await expect(viaGuardDpop(await other.proof('GET', htu, { accessToken: token }))).rejects.toMatchObject({ code: ErrorCode.DpopProofInvalid });
    await expect(viaPassport(`Bearer ${token}`)).resolves.toMatchObject({
      status: 401,
      info: { code: ErrorCode.TokenInvalid, dpopAlgorithms: expect.any(String) },
    });
    await expect(viaGuard(token)).rejects.toMatchObject({ reason: 'a DPoP-bound token sent with the Bearer scheme' });
  });
});
