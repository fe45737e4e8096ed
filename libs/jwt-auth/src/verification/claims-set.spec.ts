import { verificationOutcomeOf } from '../metrics/verification-outcome.js';
import { checkClaimsSet, type ClaimsSetRules } from './claims-set.js';

const NOW = 1_900_000_000;
const RULES: ClaimsSetRules = { issuer: 'http://issuer.test', audience: 'resource-service', clockTolerance: 30, now: NOW };
const CLAIMS = { iss: 'http://issuer.test', sub: 'u', aud: 'resource-service', iat: NOW - 10, nbf: NOW - 10, exp: NOW + 900, jti: 'j' };

/** 'ok', or the metric outcome the refusal is counted under. */
function outcome(claims: Record<string, unknown>, header: Record<string, unknown> = { typ: 'at+jwt' }, rules = RULES): string {
  try {
    checkClaimsSet(header, claims, rules);
    return 'ok';
  } catch (error: unknown) {
    return verificationOutcomeOf(error);
  }
}

describe('checkClaimsSet (the checks jose made after the signature)', () => {
  it('accepts the access-token type in any letter case, with or without application/', () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+Jwt']) expect(outcome(CLAIMS, { typ })).toBe('ok');
  });

  it.each([undefined, 'JWT', 'jwt', 'application/jwt', 'at+jwt ', 42])('refuses typ %p', (typ) => {
    expect(outcome(CLAIMS, { typ })).toBe('wrong_type');
  });

  it.each(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti'])('refuses a token without %s', (claim) => {
    const { [claim as keyof typeof CLAIMS]: _dropped, ...rest } = CLAIMS;
    expect(outcome(rest)).toBe('invalid_claims');
  });

  it('takes the issuer exactly: no trailing slash, no other case', () => {
    expect(outcome({ ...CLAIMS, iss: 'http://issuer.test/' })).toBe('wrong_issuer');
    expect(outcome({ ...CLAIMS, iss: 'HTTP://issuer.test' })).toBe('wrong_issuer');
    expect(outcome({ ...CLAIMS, iss: ['http://issuer.test'] })).toBe('wrong_issuer');
  });

  it('takes an audience string or a list that names one of ours', () => {
    expect(outcome({ ...CLAIMS, aud: ['other', 'resource-service'] })).toBe('ok');
    expect(outcome({ ...CLAIMS, aud: ['other'] })).toBe('wrong_audience');
    expect(outcome({ ...CLAIMS, aud: 'Resource-Service' })).toBe('wrong_audience');
    expect(outcome({ ...CLAIMS, aud: null })).toBe('wrong_audience');
    expect(outcome({ ...CLAIMS, aud: 'b' }, undefined, { ...RULES, audience: ['a', 'b'] })).toBe('ok');
  });

  it('checks nbf and exp with the clock tolerance, at the boundaries', () => {
    expect(outcome({ ...CLAIMS, nbf: NOW + 30 })).toBe('ok');
    expect(outcome({ ...CLAIMS, nbf: NOW + 31 })).toBe('not_yet_valid');
    expect(outcome({ ...CLAIMS, exp: NOW - 29 })).toBe('ok');
    expect(outcome({ ...CLAIMS, exp: NOW - 30 })).toBe('expired');
  });

  it.each(['iat', 'nbf', 'exp'])('refuses a %s that is not a JSON number', (claim) => {
    expect(outcome({ ...CLAIMS, [claim]: String(NOW) })).toBe('invalid_claims');
    expect(outcome({ ...CLAIMS, [claim]: null })).toBe('invalid_claims');
  });
});
