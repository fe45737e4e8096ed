import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

@Controller('resource')
export class ResourceController {
  @UseGuards(AuthGuard('jwt'))
  @Get('protected')
  getProtected(@Req() req: { user: unknown }): { message: string; user: unknown } {
    return { message: 'This is a protected resource', user: req.user };
  }
}
