import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module.js';
import { DiscoveryController } from './discovery.controller.js';
import { OAuthEndpoints } from './oauth-endpoints.js';

/** The issuer metadata (RFC 8414, and the same document at the OpenID name), built from what `oauth/` wires. */
@Module({
  imports: [OAuthModule],
  controllers: [DiscoveryController],
  providers: [OAuthEndpoints],
})
export class DiscoveryModule {}
