import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** The answers of a hosted-page route, for the API docs. */
export const PageResponses = () =>
  applyDecorators(
    ApiResponse({ status: 200, description: 'An HTML page' }),
    ApiResponse({ status: 303, description: 'A redirect: to the client, or to a page of ours' }),
    ApiResponse({ status: 400, description: 'The error page (HTML)' }),
  );
