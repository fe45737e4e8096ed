import { ErrorCode, type ErrorResponse, ErrorResponseDto, IssuerErrorCode } from '@app/contracts';
import { applyDecorators } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiResponse, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The UI; the document is at `${API_DOCS_PATH}-json`. */
export const API_DOCS_PATH = '/docs';

/** Name of the bearer security scheme routes refer to with `@ApiBearerAuth(BEARER_SCHEME)`. */
export const BEARER_SCHEME = 'bearer';

export interface ApiDocsInfo {
  title: string;
  description: string;
  version: string;
}

/** Builds the OpenAPI document from the controllers and the DTOs of @app/contracts. */
export function createApiDocument(app: NestFastifyApplication, info: ApiDocsInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /auth/login' }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the Swagger UI at /docs and the document at /docs-json (built on first request). */
export function setupApiDocs(app: NestFastifyApplication, info: ApiDocsInfo): void {
  SwaggerModule.setup(API_DOCS_PATH.slice(1), app, () => createApiDocument(app, info), {
    jsonDocumentUrl: `${API_DOCS_PATH.slice(1)}-json`,
    raw: ['json'],
    customSiteTitle: info.title,
  });
}

type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 429 | 503;

const ERRORS: Record<ErrorStatus, { description: string; example: ErrorResponse }> = {
  400: {
    description: 'Malformed JSON, a wrong type or an unknown field; the message names the field',
    example: { statusCode: 400, error: 'Bad Request', code: ErrorCode.Validation, message: ['password must be a string'] },
  },
  401: {
    description: 'Missing, invalid or expired credentials; WWW-Authenticate says which',
    example: { statusCode: 401, error: 'Unauthorized', code: ErrorCode.TokenInvalid, message: 'The access token is invalid' },
  },
  403: {
    description: 'The access token does not grant a scope the route requires',
    example: { statusCode: 403, error: 'Forbidden', code: ErrorCode.InsufficientScope, message: 'The access token does not grant the required scope' },
  },
  404: {
    description: 'No such route',
    example: { statusCode: 404, error: 'Not Found', code: ErrorCode.NotFound, message: 'Cannot GET /nowhere' },
  },
  413: {
    description: 'The request body is larger than the limit (16 KiB)',
    example: { statusCode: 413, error: 'Payload Too Large', code: ErrorCode.PayloadTooLarge, message: 'Request body is too large' },
  },
  429: {
    description: 'Too many attempts; retry after the number of seconds in Retry-After',
    example: { statusCode: 429, error: 'Too Many Requests', code: IssuerErrorCode.TooManyRequests, message: 'Too many attempts; retry later' },
  },
  503: {
    description: 'A dependency (the database, the JWKS) is unavailable; retry later',
    example: { statusCode: 503, error: 'Service Unavailable', code: ErrorCode.ServiceUnavailable, message: 'Retry later' },
  },
};

/** Documents error answers, all in the `ErrorResponse` shape, with an example each: `@ApiErrorResponses(400, 401, 413)`. */
export function ApiErrorResponses(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERRORS[status].description, type: ErrorResponseDto, example: ERRORS[status].example })),
  );
}
