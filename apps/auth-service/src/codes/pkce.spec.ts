import { pkceMatches, s256 } from './pkce.js';

describe('PKCE S256 (RFC 7636)', () => {
  // RFC 7636 Appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('computes the RFC 7636 Appendix B challenge', () => {
    expect(s256(verifier)).toBe(challenge);
  });

  it('accepts the right verifier', () => {
    expect(pkceMatches(verifier, challenge)).toBe(true);
  });

  it.each([
    ['a wrong verifier', `${verifier.slice(0, -1)}Y`],
    ['the challenge itself (plain)', challenge],
    ['a short verifier', 'abc'],
    ['a verifier with characters outside RFC 7636', `${verifier}+/`],
    ['no verifier', undefined],
  ])('refuses %s', (_name, presented) => {
    expect(pkceMatches(presented, challenge)).toBe(false);
  });
});
