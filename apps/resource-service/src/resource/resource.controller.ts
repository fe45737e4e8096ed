import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProtectedResourceResponseDto, PublicResourceResponseDto, type AuthenticatedUser } from '@app/contracts';
import { CurrentUser, Public } from '@app/jwt-auth';
import { ApiErrorResponses, BEARER_SCHEME } from '@app/observability';

@ApiTags('resource')
@Controller('resource')
export class ResourceController {
  @Get('protected')
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({ summary: 'A resource for holders of a valid access token' })
  @ApiOkResponse({ type: ProtectedResourceResponseDto, description: 'The resource and the user the token names' })
  @ApiErrorResponses(401, 403, 503)
  getProtected(@CurrentUser() user: AuthenticatedUser): ProtectedResourceResponseDto {
    return { message: 'This is a protected resource', user: { userId: user.userId, username: user.username } };
  }

  @Public()
  @Get('public')
  @ApiOperation({ summary: "A resource anyone may read (the benchmarks' baseline)" })
  @ApiOkResponse({ type: PublicResourceResponseDto, description: 'The resource' })
  getPublic(): PublicResourceResponseDto {
    return { message: 'This is a public resource' };
  }
}
