import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ResourceUserDto {
  @ApiProperty({ description: 'The token subject (`sub`)', example: '6f1c2a8e-3d4b-4c55-9a1e-2b7f0c9d8e11' })
  userId!: string;

  @ApiProperty({ example: 'testuser' })
  username!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'For an exchanged token (RFC 8693 `act`): the services acting for the user, the nearest first',
    example: ['billing', 'orders'],
  })
  actors?: string[];
}

export class ResourceClientDto {
  @ApiProperty({ description: 'The client a client-credentials token was issued to (`client_id` = `sub`)', example: 'billing' })
  clientId!: string;
}

/** `user` for a user token, `client` for a client-credentials token. */
export class ProtectedResourceResponseDto {
  @ApiProperty({ example: 'This is a protected resource' })
  message!: string;

  @ApiPropertyOptional({ type: ResourceUserDto, description: 'For a user token' })
  user?: ResourceUserDto;

  @ApiPropertyOptional({ type: ResourceClientDto, description: 'For a client-credentials token' })
  client?: ResourceClientDto;
}

export class AdminResourceResponseDto {
  @ApiProperty({ example: 'This is an admin resource' })
  message!: string;
}

export class PublicResourceResponseDto {
  @ApiProperty({ example: 'This is a public resource' })
  message!: string;
}
