import request from 'supertest';
import type { Clock } from '../../apps/auth-service/src/common/clock.js';

/** A clock the test moves by hand: expiry and lockouts run in milliseconds. Starts at the real time. */
export class ManualClock implements Clock {
  private time = Date.now();

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export function login(url: string, username = 'testuser', password = 'password', headers: Record<string, string> = {}) {
  return request(url).post('/auth/login').set(headers).send({ username, password });
}

export function refresh(url: string, refreshToken: unknown) {
  return request(url).post('/auth/refresh').send({ refresh_token: refreshToken });
}

export function logout(url: string, refreshToken: unknown) {
  return request(url).post('/auth/logout').send({ refresh_token: refreshToken });
}

/** The `invalid_grant` body every unusable refresh token gets. */
export const INVALID_GRANT = {
  statusCode: 400,
  error: 'invalid_grant',
  code: 'ERR_INVALID_GRANT',
  message: 'The refresh token is invalid, expired or revoked; log in again',
};
