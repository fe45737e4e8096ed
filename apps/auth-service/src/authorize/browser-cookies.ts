import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokensConfig } from '../config/tokens.config.js';
import { generateOpaqueSecret } from '../sso/opaque-secret.js';
import { cookieNames, type CookieNames, readCookie, setCookie } from '../sso/sso-cookie.js';

/**
 * The two cookies of the hosted pages: the SSO session's secret, and a browser secret that binds each
 * interaction to the browser that started it (so nobody can make another browser post their forms:
 * login CSRF). Both HttpOnly, SameSite=Lax, `__Host-` + Secure on an https issuer.
 */
@Injectable()
export class BrowserCookies {
  private readonly issuer: string;
  private readonly names: CookieNames;

  constructor(@Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>) {
    this.issuer = tokens.issuer;
    this.names = cookieNames(tokens.issuer);
  }

  ssoSecret(request: FastifyRequest): string | undefined {
    return readCookie(request.headers.cookie, this.names.sso);
  }

  browserSecret(request: FastifyRequest): string | undefined {
    return readCookie(request.headers.cookie, this.names.browser);
  }

  /** The browser's secret, set now when it has none yet. */
  ensureBrowserSecret(request: FastifyRequest, reply: FastifyReply): string {
    const existing = this.browserSecret(request);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const secret = generateOpaqueSecret();
    reply.header('set-cookie', setCookie(this.issuer, this.names.browser, secret));
    return secret;
  }

  setSso(reply: FastifyReply, secret: string, maxAgeSeconds: number): void {
    reply.header('set-cookie', setCookie(this.issuer, this.names.sso, secret, maxAgeSeconds));
  }

  clearSso(reply: FastifyReply): void {
    reply.header('set-cookie', setCookie(this.issuer, this.names.sso, '', 0));
  }
}
