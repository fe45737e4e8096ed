import { IdTokenService } from './id-token.service.js';
import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { AccessTokenReader } from './access-token-reader.js';
import { TokenService } from './token.service.js';

/** Access tokens: signed by the key store's current key (`TokenService`) and read back only if ours (`AccessTokenReader`). */
@Module({
  imports: [KeysModule],
  providers: [TokenService, AccessTokenReader, IdTokenService],
  exports: [TokenService, AccessTokenReader, IdTokenService],
})
export class TokensModule {}
