import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode, type ErrorResponse } from '../errors.js';

/** The `ErrorResponse` body as a class, for the OpenAPI document. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 401 })
  statusCode!: number;

  @ApiProperty({ description: 'The HTTP status text', example: 'Unauthorized' })
  error!: string;

  @ApiProperty({ enum: Object.values(ErrorCode), enumName: 'ErrorCode', example: ErrorCode.TokenInvalid })
  code!: ErrorCode;

  @ApiProperty({
    description: 'What went wrong; a list naming each bad field for validation errors',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'The access token is invalid',
  })
  message!: string | string[];
}
