import type { ErrorDescription } from '@app/contracts';

/**
 * The port through which the one error filter answers the routes of the hosted pages with an HTML
 * page instead of JSON (docs/oidc.md "Pages"); `authorize/` provides it.
 */
export interface HtmlErrorPages {
  /** Whether a request path belongs to the hosted pages. */
  serves(path: string): boolean;
  /** The error page of an answer, and the headers every page carries (CSP, framing). */
  renderError(answer: ErrorDescription): { html: string; headers: Record<string, string> };
}

export const HTML_ERROR_PAGES = Symbol('HTML_ERROR_PAGES');
