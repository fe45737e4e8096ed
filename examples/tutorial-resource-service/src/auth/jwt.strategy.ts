import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { TUTORIAL_CONFIG, type TutorialConfig } from '../config.js';

/** The claims this service reads; the signature, `iss`, `aud`, `exp` and `nbf` are checked by passport-jwt. */
interface JwtPayload {
  sub: string;
  username: string;
}

/** The tutorial's strategy, as written: keys from the issuer's JWKS (jwks-rsa), RS256 only. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(TUTORIAL_CONFIG) config: TutorialConfig) {
    super({
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: config.jwksUri,
      }),
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      audience: config.audience,
      issuer: config.issuer,
      algorithms: ['RS256'],
    });
  }

  validate(payload: JwtPayload): { userId: string; username: string } {
    return { userId: payload.sub, username: payload.username };
  }
}
