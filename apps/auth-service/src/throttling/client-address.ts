import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BlockList, isIP } from 'node:net';
import { securityConfig } from '../config/security.config.js';

/** An address as written in a socket or X-Forwarded-For hop, without port, brackets, zone or IPv4-mapping. */
export function normalizeAddress(text: string): string {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '').toLowerCase();
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) address = address.slice(7);
  return address;
}

function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
}

/**
 * The counter key of an address: IPv4 as is; IPv6 by its /64, since one subscriber usually gets a
 * whole /64 (or more) and could otherwise take a fresh address for every attempt.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * Which client an attempt counts against. The TCP peer, unless the peer is a trusted proxy
 * (`TRUSTED_PROXIES`): then X-Forwarded-For is read from the right, skipping trusted hops, and the
 * first untrusted hop is the client. Hops left of it were written by the client itself, so rotating
 * them changes nothing. Without trusted proxies the header is ignored altogether.
 */
@Injectable()
export class ClientAddressResolver {
  private readonly trusted = new BlockList();
  private readonly anyTrusted: boolean;

  constructor(@Inject(securityConfig.KEY) security: ConfigType<typeof securityConfig>) {
    const proxies = security.trustedProxies;
    for (const entry of proxies) {
      const [address, prefix] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Number(prefix), type);
    }
    this.anyTrusted = proxies.length > 0;
  }

  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
    let client = normalizeAddress(peer ?? '');
    if (!this.anyTrusted || !this.isTrusted(client) || forwardedFor === undefined) return addressKey(client || 'unknown');
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map(normalizeAddress);
    for (let i = hops.length - 1; i >= 0; i--) {
      // A hop that is no address came from a broken proxy: count against the last trusted hop instead.
      if (isIP(hops[i]) === 0) break;
      client = hops[i];
      if (!this.isTrusted(client)) break;
    }
    return addressKey(client);
  }

  private isTrusted(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
