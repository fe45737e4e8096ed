import { joinUrl } from './url.js';

describe('joinUrl', () => {
  it.each([
    ['https://auth.example.com', '.well-known/jwks.json', 'https://auth.example.com/.well-known/jwks.json'],
    ['https://auth.example.com/', '.well-known/jwks.json', 'https://auth.example.com/.well-known/jwks.json'],
    ['https://auth.example.com/', '/auth/login', 'https://auth.example.com/auth/login'],
    ['https://auth.example.com//', '//auth/login', 'https://auth.example.com/auth/login'],
    ['https://auth.example.com/tenant-a/', '/auth/revoke', 'https://auth.example.com/tenant-a/auth/revoke'],
    ['http://127.0.0.1:3000', 'auth/revoke', 'http://127.0.0.1:3000/auth/revoke'],
  ])('joins %s and %s with one slash', (base, path, joined) => {
    expect(joinUrl(base, path)).toBe(joined);
  });
});
