import { issuerMetadataUris } from './issuer-metadata-uris.js';

describe('issuerMetadataUris', () => {
  it.each([
    ['http://localhost:3000', ['http://localhost:3000/.well-known/oauth-authorization-server']],
    ['https://auth.example.com/', ['https://auth.example.com/.well-known/oauth-authorization-server']],
    ['https://Auth.Example.com', ['https://auth.example.com/.well-known/oauth-authorization-server']],
    [
      // RFC 8414 §3 first (the well-known segment between host and path), then where the auth-service serves it under a path prefix.
      'https://example.com/auth',
      ['https://example.com/.well-known/oauth-authorization-server/auth', 'https://example.com/auth/.well-known/oauth-authorization-server'],
    ],
    [
      'https://example.com/tenants/a/',
      ['https://example.com/.well-known/oauth-authorization-server/tenants/a', 'https://example.com/tenants/a/.well-known/oauth-authorization-server'],
    ],
  ])('%s: %j', (issuer, uris) => {
    expect(issuerMetadataUris(issuer)).toEqual(uris);
  });

  it.each(['urn:example:issuer', 'ftp://auth.example.com', 'auth.example.com', ''])('none for %j, which is not an http(s) URL', (issuer) => {
    expect(issuerMetadataUris(issuer)).toEqual([]);
  });
});
