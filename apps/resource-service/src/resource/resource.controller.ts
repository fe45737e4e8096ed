import { Controller, Get } from '@nestjs/common';
import { ProtectedResourceResponseDto, PublicResourceResponseDto, type AuthenticatedUser } from '@app/contracts';
import { CurrentUser, Public } from '@app/jwt-auth';

@Controller('resource')
export class ResourceController {
  @Get('protected')
  getProtected(@CurrentUser() user: AuthenticatedUser): ProtectedResourceResponseDto {
    return { message: 'This is a protected resource', user: { userId: user.userId, username: user.username } };
  }

  @Public()
  @Get('public')
  getPublic(): PublicResourceResponseDto {
    return { message: 'This is a public resource' };
  }
}
