import { Module } from '@nestjs/common';
import { DpopReplayPruner } from './dpop-replay.pruner.js';
import { DpopReplayRepository } from './dpop-replay.repository.js';
import { ServerSecretsRepository } from './server-secrets.repository.js';
import { TokenEndpointProofs } from './token-endpoint-proofs.js';
import { UserinfoProofs } from './userinfo-proofs.js';

/** DPoP proofs at the token endpoint and userinfo: the check, its `jti` record and nonce secret in the database, the pruner. */
@Module({
  providers: [DpopReplayRepository, DpopReplayPruner, ServerSecretsRepository, TokenEndpointProofs, UserinfoProofs],
  exports: [TokenEndpointProofs, UserinfoProofs],
})
export class DpopModule {}
