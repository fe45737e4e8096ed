import { ApiProperty } from '@nestjs/swagger';

export class ResourceUserDto {
  @ApiProperty({ description: 'The token subject (`sub`)', example: '6f1c2a8e-3d4b-4c55-9a1e-2b7f0c9d8e11' })
  userId!: string;

  @ApiProperty({ example: 'testuser' })
  username!: string;
}

export class ProtectedResourceResponseDto {
  @ApiProperty({ example: 'This is a protected resource' })
  message!: string;

  @ApiProperty({ type: ResourceUserDto })
  user!: ResourceUserDto;
}

export class PublicResourceResponseDto {
  @ApiProperty({ example: 'This is a public resource' })
  message!: string;
}
