import { requestHtu } from './request-url.js';

describe('requestHtu', () => {
  it('is the request scheme, Host and path, query dropped', () => {
    expect(requestHtu({ headers: { host: 'API.example.com:80' }, url: '/resource/protected?x=1', protocol: 'http' }, undefined)).toBe(
      'http://API.example.com:80/resource/protected',
    );
    expect(requestHtu({ headers: { host: 'a.example' }, originalUrl: '/r', url: '/rewritten', protocol: 'https' }, undefined)).toBe('https://a.example/r');
  });

  it('is the configured public URL plus the path behind a proxy', () => {
    expect(requestHtu({ headers: { host: '10.0.0.5:3001' }, url: '/resource/protected', protocol: 'http' }, 'https://api.example.com/edge')).toBe(
      'https://api.example.com/edge/resource/protected',
    );
  });

  it('is undefined without a Host or with a path that is no path', () => {
    expect(requestHtu({ headers: {}, url: '/x' }, undefined)).toBeUndefined();
    expect(requestHtu({ headers: { host: 'a' }, url: 'http://evil/x' }, undefined)).toBeUndefined();
    expect(requestHtu({ headers: { host: 'evil.example/x' }, url: '/y' }, undefined)).toBeUndefined();
  });
});
