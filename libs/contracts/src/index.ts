export {
  ACCESS_TOKEN_TYPE,
  FORBIDDEN_KEY_SOURCE_HEADERS,
  SUPPORTED_ALGORITHMS,
  isJwsAlgorithm,
  type JwsAlgorithm,
} from './algorithms.js';
export type { AccessTokenClaims, AuthenticatedUser } from './claims.js';
export { ErrorCode, type ErrorResponse } from './errors.js';
export type { DiscoveryDocument, JwksDocument, PublicJwk } from './jwk.js';
export { LoginRequestDto, PASSWORD_MAX_LENGTH, TokenResponseDto, USERNAME_PATTERN } from './dto/login.dto.js';
export { ProtectedResourceResponseDto, PublicResourceResponseDto, ResourceUserDto } from './dto/resource.dto.js';
export { ErrorResponseDto } from './dto/error-response.dto.js';
export { DiscoveryDocumentDto, JwksDocumentDto, PublicJwkDto } from './dto/jwks.dto.js';
export { parseDuration } from './duration.js';
