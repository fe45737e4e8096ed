import { redirectUriAllowed, redirectUriProblem } from './redirect-uri.js';

describe('redirectUriProblem (registration)', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com/cb?tenant=1',
    'http://127.0.0.1/cb',
    'http://[::1]:8080/cb',
    'http://localhost:3000/cb',
    'com.example.app:/oauth2redirect',
  ])('accepts %s', (uri) => expect(redirectUriProblem(uri)).toBeUndefined());

  it.each([
    ['https://app.example.com/cb#frag', /fragment/],
    ['http://app.example.com/cb', /plain http only for loopback/],
    ['javascript:alert(1)', /never a redirect URI/],
    ['data:text/html,hi', /never a redirect URI/],
    ['file:///etc/passwd', /never a redirect URI/],
    ['myapp:/cb', /reversed domain name/],
    ['/relative/cb', /not an absolute URI/],
    ['https://app.example.com/a b', /percent-encoded/],
    ['', /1-2000/],
  ])('refuses %s', (uri, problem) => expect(redirectUriProblem(uri)).toMatch(problem));
});

describe('redirectUriAllowed (authorization requests)', () => {
  const registered = ['https://app.example.com/cb', 'http://127.0.0.1/native', 'http://[::1]:1234/native', 'http://localhost:3000/cb'];

  it('accepts exactly a registered string', () => {
    expect(redirectUriAllowed('https://app.example.com/cb', registered)).toBe(true);
  });

  it.each([
    'https://app.example.com/cb/',
    'https://APP.example.com/cb',
    'https://app.example.com/cb?x=1',
    'https://app.example.com:443/cb',
    'https://app.example.com/CB',
    'https://app.example.com/x/../cb',
  ])('refuses %s: no normalisation, no prefix match', (uri) => expect(redirectUriAllowed(uri, registered)).toBe(false));

  it('relaxes only the port of a loopback IP literal over http (RFC 8252 7.3)', () => {
    expect(redirectUriAllowed('http://127.0.0.1:49152/native', registered)).toBe(true);
    expect(redirectUriAllowed('http://[::1]:5555/native', registered)).toBe(true);
    expect(redirectUriAllowed('http://127.0.0.1:49152/other', registered)).toBe(false);
    expect(redirectUriAllowed('http://127.0.0.1:49152/x/../native', registered)).toBe(false);
    // localhost is a name, not an IP literal: its port is not relaxed.
    expect(redirectUriAllowed('http://localhost:4000/cb', registered)).toBe(false);
  });
});
