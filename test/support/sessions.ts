import request from 'supertest';

export { DAY, ManualClock, MINUTE } from './stack.js';

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
