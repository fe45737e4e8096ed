import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

export type PageName = 'home' | 'signed-in' | 'signed-out' | 'error';
const PAGE_NAMES: readonly PageName[] = ['home', 'signed-in', 'signed-out', 'error'];
const VIEWS = new URL('./views/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, VIEWS), 'utf8');

/**
 * The pages, from Handlebars templates in `views/`: every `{{value}}` is HTML-escaped (no triple-stash
 * anywhere), so a claim or an answer cannot inject markup. Each page forbids scripts, framing and
 * caching; its forms may go here and to the auth-service (Sign out continues there).
 */
export class Pages {
  readonly stylesheet = read('style.css');
  private readonly templates = new Map<PageName, Handlebars.TemplateDelegate>();
  private readonly headers: Record<string, string>;
  private readonly common: Record<string, string>;

  constructor(issuer: URL) {
    const engine = Handlebars.create();
    engine.registerPartial('layout', read('layout.hbs'));
    for (const name of PAGE_NAMES) this.templates.set(name, engine.compile(read(`${name}.hbs`), { knownHelpersOnly: true }));
    this.headers = {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'self'; form-action 'self' ${issuer.origin}; frame-ancestors 'none'; base-uri 'none'`,
      'cache-control': 'no-store',
    };
    this.common = { issuer: issuer.origin };
  }

  send(response: ServerResponse, status: number, name: PageName, context: Record<string, unknown> = {}): void {
    response.writeHead(status, this.headers).end(this.templates.get(name)!({ ...this.common, ...context }));
  }
}
