// The package README's setup and decorators as a consumer writes them in TypeScript: the test
// type-checks it (strict, skipLibCheck off) against the installed package's declarations.
import { Controller, Get, Module, Post, UseGuards } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  CurrentUser,
  isAuthenticatedClient,
  JwtAuthExceptionFilter,
  JwtAuthGuard,
  JwtAuthModule,
  JwtAuthStrategy,
  Public,
  RedisDpopReplayStore,
  RequireScopes,
  RevocationPoller,
  type AuthenticatedCaller,
  type FeedDiscoveryState,
} from '@nest-token-service/jwt-auth';
import { createTestIssuer, type TestIssuer } from '@nest-token-service/jwt-auth/testing';
import { createClient } from 'redis';

@Controller('orders')
export class OrdersController {
  @Public()
  @Get('health')
  health(): { ok: boolean } {
    return { ok: true };
  }

  @Get()
  list(@CurrentUser() caller: AuthenticatedCaller): string[] {
    return isAuthenticatedClient(caller) ? [caller.clientId] : [caller.userId, ...caller.scopes];
  }

  @RequireScopes('orders:write')
  @Post()
  create(@CurrentUser('userId') userId: string): string {
    return userId;
  }
}

/** A team composing passport strategies: the package's strategy, registered as 'jwt'. */
@Controller('reports')
@Public()
@UseGuards(AuthGuard('jwt'))
export class ReportsController {
  @Get()
  list(@CurrentUser() caller: AuthenticatedCaller): string[] {
    return caller.scopes;
  }
}

@Module({
  imports: [JwtAuthModule.forRoot({ issuer: 'https://auth.example.com', audience: 'orders-service', clockTolerance: '30s', jwksTimeout: 2000 })],
  controllers: [OrdersController, ReportsController],
  providers: [JwtAuthStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }, { provide: APP_FILTER, useClass: JwtAuthExceptionFilter }],
})
export class AppModule {}

export async function expiredToken(): Promise<string> {
  const kit: TestIssuer = await createTestIssuer({ audience: 'orders-service', algorithm: 'EdDSA' });
  const token = await kit.sign({ exp: 0 }, { kid: 'other' });
  await kit.close();
  return token;
}

/** The revocation feed: discovered by default, off with `false`, the kit serving one to revoke from. */
export const withoutFeed = JwtAuthModule.forRoot({ issuer: 'https://auth.example.com', audience: 'orders-service', revocationFeedUri: false });

export async function revokedToken(): Promise<{ token: string; feed: string | undefined }> {
  const kit: TestIssuer = await createTestIssuer({ revocations: true });
  const token = await kit.sign({ sid: 'session-1' });
  kit.revoke({ sid: 'session-1' });
  kit.revoke({ jti: 'token-1' });
  kit.revoke({ client_id: 'svc' });
  await kit.close();
  return { token, feed: kit.revocationFeedUri };
}

export function discovery(poller: RevocationPoller): FeedDiscoveryState {
  return poller.discoveryState;
}

/** DPoP replay records shared by every instance: the client of the `redis` package as it is (docs/dpop.md "Replay"). */
export async function sharedReplays(): Promise<ReturnType<typeof JwtAuthModule.forRoot>> {
  const redis = await createClient({ url: 'redis://redis.internal:6379', disableOfflineQueue: true }).connect();
  return JwtAuthModule.forRoot({
    issuer: 'https://auth.example.com',
    audience: 'orders-service',
    dpop: { replayStore: new RedisDpopReplayStore(redis, { keyPrefix: 'orders:dpop:' }) },
  });
}
