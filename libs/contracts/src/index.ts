export { ACCESS_TOKEN_TYPE, MAX_TOKEN_LENGTH, FORBIDDEN_KEY_SOURCE_HEADERS, SUPPORTED_ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from './algorithms.js';
export { JWS_SIGNATURE_SCHEMES, type JwsSignatureScheme } from './jws-schemes.js';
export {
  ACCESS_TOKEN_TYPE_URN,
  type AccessTokenClaims,
  type Actor,
  type ActorClaim,
  actorChain,
  type AuthenticatedCaller,
  type AuthenticatedClient,
  type AuthenticatedUser,
  isAuthenticatedClient,
  MAX_ACT_DEPTH,
  TOKEN_EXCHANGE_GRANT_TYPE,
} from './claims.js';
export { ErrorCode, type ErrorResponse, IssuerErrorCode } from './errors.js';
export { HttpMappedError, type MappedErrorLogLevel } from './http-mapped-error.js';
export { describeError, type ErrorDescription, type ErrorMappingOptions, errorResponseBody } from './error-answer.js';
export { logErrorAnswer } from './error-log.js';
export type { DiscoveryDocument, JwksDocument, PublicJwk } from './jwk.js';
export { LoginRequestDto, TokenResponseDto, USERNAME_MESSAGE, USERNAME_PATTERN } from './dto/login.dto.js';
export {
  IsNewPassword,
  newPasswordProblem,
  normalizePassword,
  PASSWORD_MAX_BYTES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  utf8Length,
} from './dto/password.js';
export { RegisteredUserDto, RegisterRequestDto } from './dto/register.dto.js';
export { REFRESH_TOKEN_MAX_LENGTH, RefreshTokenRequestDto, REVOCABLE_TOKEN_MAX_LENGTH, RevokeRequestDto } from './dto/session.dto.js';
export { OAuthErrorResponseDto, OAuthTokenRequestDto, OAuthTokenResponseDto, TOKEN_EXCHANGE_MAX_LENGTH, TokenRequestDto } from './dto/oauth.dto.js';
export { AdminResourceResponseDto, ProtectedResourceResponseDto, PublicResourceResponseDto, ResourceClientDto, ResourceUserDto } from './dto/resource.dto.js';
export { ErrorResponseDto } from './dto/error-response.dto.js';
export { DiscoveryDocumentDto, JwksDocumentDto, PublicJwkDto } from './dto/jwks.dto.js';
export { Scope } from './scopes.js';
export { joinUrl } from './url.js';
export { DAY_MS, type DurationText, HOUR_MS, MINUTE_MS, parseDuration, SECOND_MS } from './duration-text.js';
