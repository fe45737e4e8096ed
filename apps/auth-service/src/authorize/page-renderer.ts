import type { ErrorDescription } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tokensConfig } from '../config/tokens.config.js';
import type { HtmlErrorPages } from '../http/html-pages.js';

/** The hosted pages (templates in `pages/`): one layout, five pages. */
export type PageName = 'sign-in' | 'consent' | 'error' | 'logout' | 'signed-out';
const PAGE_NAMES: readonly PageName[] = ['sign-in', 'consent', 'error', 'logout', 'signed-out'];

/** Where the templates and the stylesheet are, beside the compiled code too (scripts/build.mjs copies them). */
const PAGES_DIR = new URL('../pages/', import.meta.url);

/** The routes whose answers, errors included, are pages. */
const PAGE_ROUTES = ['/oauth/authorize', '/oauth/interaction/', '/oauth/logout'];

export const STYLESHEET_ROUTE = 'oauth/assets/style.css';

/** An HTML page and the headers it goes with. */
export interface RenderedPage {
  html: string;
  headers: Record<string, string>;
}

/**
 * Renders the hosted pages with Handlebars, which escapes every `{{value}}` (no triple-stash is used),
 * and gives each its headers: a CSP that allows the one stylesheet and nothing else (no script), forms
 * only to us and to where the flow continues, never framed (CSP `frame-ancestors 'none'` and
 * `X-Frame-Options: DENY`), never cached.
 */
@Injectable()
export class PageRenderer implements HtmlErrorPages {
  readonly stylesheet: string;
  private readonly templates = new Map<PageName, Handlebars.TemplateDelegate>();
  private readonly common: Record<string, string>;
  private readonly basePath: string;

  constructor(@Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>) {
    const engine = Handlebars.create();
    engine.registerPartial('layout', this.read('layout.hbs'));
    for (const name of PAGE_NAMES) this.templates.set(name, engine.compile(this.read(`${name}.hbs`), { strict: false, knownHelpersOnly: true }));
    this.stylesheet = this.read('style.css');
    const issuer = new URL(tokens.issuer);
    this.basePath = issuer.pathname.endsWith('/') ? issuer.pathname : `${issuer.pathname}/`;
    this.common = { service: 'nest-token-service', stylesheet: this.path(STYLESHEET_ROUTE), issuerHome: issuer.origin, issuerHost: issuer.host };
  }

  /** A path under the issuer's (root-relative, so it works behind a proxy that keeps the issuer's prefix). */
  path(route: string): string {
    return `${this.basePath}${route}`;
  }

  /** `formTargets`: origins (or private-use schemes) a form of the page may end up at after our redirect. */
  render(name: PageName, context: Record<string, unknown>, formTargets: readonly string[] = []): RenderedPage {
    const html = this.templates.get(name)!({ ...this.common, ...context });
    return { html, headers: pageHeaders(formTargets) };
  }

  serves(path: string): boolean {
    return PAGE_ROUTES.some((route) => path.startsWith(route));
  }

  /** The error page of the one error filter. */
  renderError(answer: ErrorDescription): RenderedPage {
    const message = Array.isArray(answer.message) ? answer.message.join('; ') : answer.message;
    const hint = answer.status >= 500 ? 'Please try again in a moment.' : 'Go back to the app you came from and start again.';
    return this.render('error', { title: titleOf(answer.status), message, hint });
  }

  private read(file: string): string {
    return readFileSync(fileURLToPath(new URL(file, PAGES_DIR)), 'utf8');
  }
}

function titleOf(status: number): string {
  if (status === 403) return 'This form has expired';
  if (status === 429) return 'Too many attempts';
  if (status >= 500) return 'Something went wrong';
  return 'This sign-in link is not valid';
}

/** The headers of every page. */
export function pageHeaders(formTargets: readonly string[]): Record<string, string> {
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self'${formTargets.map((t) => ` ${t}`).join('')}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { 'content-security-policy': csp, 'x-frame-options': 'DENY', 'cache-control': 'no-store', pragma: 'no-cache' };
}

/** What a form's CSP must allow for a redirect to `uri`: its origin, or its scheme for a private-use one. */
export function formTargetOf(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}
