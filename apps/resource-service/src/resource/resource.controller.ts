import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  actorChain,
  AdminResourceResponseDto,
  type AuthenticatedCaller,
  isAuthenticatedClient,
  ProtectedResourceResponseDto,
  PublicResourceResponseDto,
  Scope,
} from '@app/contracts';
import { CurrentUser, Public, RequireScopes } from '@app/jwt-auth';
import { ApiErrorResponses, BEARER_SCHEME } from '@app/observability';

@ApiTags('resource')
@Controller('resource')
export class ResourceController {
  @Get('protected')
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({ summary: 'A resource for holders of a valid access token' })
  @ApiOkResponse({
    type: ProtectedResourceResponseDto,
    description: 'The resource and the user (or, for a client-credentials token, the client) the token names',
  })
  @ApiErrorResponses(401, 403, 503)
  getProtected(@CurrentUser() caller: AuthenticatedCaller): ProtectedResourceResponseDto {
    if (isAuthenticatedClient(caller)) return { message: 'This is a protected resource', client: { clientId: caller.clientId } };
    const actors = actorChain(caller);
    return { message: 'This is a protected resource', user: { userId: caller.userId, username: caller.username, ...(actors.length ? { actors } : {}) } };
  }

  @Get('admin')
  @RequireScopes(Scope.ResourceAdmin)
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiOperation({ summary: 'A resource for tokens with the scope resource:admin (403 insufficient_scope otherwise)' })
  @ApiOkResponse({ type: AdminResourceResponseDto, description: 'The resource' })
  @ApiErrorResponses(401, 403, 503)
  getAdmin(): AdminResourceResponseDto {
    return { message: 'This is an admin resource' };
  }

  @Public()
  @Get('public')
  @ApiOperation({ summary: "A resource anyone may read (the benchmarks' baseline)" })
  @ApiOkResponse({ type: PublicResourceResponseDto, description: 'The resource' })
  getPublic(): PublicResourceResponseDto {
    return { message: 'This is a public resource' };
  }
}
