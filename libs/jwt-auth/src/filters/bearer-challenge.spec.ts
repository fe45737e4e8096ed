import { BadRequestException, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { describeError, errorResponseBody } from '@app/contracts';
import { InsufficientScopeError, JwksUnreachableError, TokenExpiredError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';
import { InvalidDpopProofError, UseDpopNonceError } from '../dpop/dpop.errors.js';
import { bearerChallenge, VERIFIER_ERROR_MAPPING } from './bearer-challenge.js';

const inDpop = <E extends { dpopAlgorithms?: string }>(error: E): E => Object.assign(error, { dpopAlgorithms: 'ES256 EdDSA' });

describe('verifier errors as answers', () => {
  it.each([
    [new TokenMissingError(), 401, 'Bearer'],
    [new TokenInvalidError('bad signature'), 401, 'Bearer error="invalid_token", error_description="The access token is invalid"'],
    [new TokenExpiredError(), 401, 'Bearer error="invalid_token", error_description="The access token has expired"'],
    [new InsufficientScopeError(['a:read', 'b:write']), 403, 'Bearer error="insufficient_scope", scope="a:read b:write"'],
    [new JwksUnreachableError('ECONNREFUSED'), 503, undefined],
  ])('maps %p to %d with its challenge', (error, status, challenge) => {
    const answer = describeError(error, VERIFIER_ERROR_MAPPING);

    expect(errorResponseBody(answer)).toEqual({ statusCode: status, error: expect.any(String), code: error.code, message: error.clientMessage });
    expect(answer.log.level).toBe('debug');
    expect(bearerChallenge(error, answer.status)).toBe(challenge);
  });

  it.each([
    [inDpop(new TokenMissingError()), 'DPoP algs="ES256 EdDSA"'],
    [inDpop(new TokenInvalidError('x')), 'DPoP error="invalid_token", error_description="The access token is invalid", algs="ES256 EdDSA"'],
    [
      inDpop(new InvalidDpopProofError('the proof "htm" does not match the request method')),
      'DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof: the proof htm does not match the request method", algs="ES256 EdDSA"',
    ],
    [inDpop(new InsufficientScopeError(['a:read'])), 'DPoP error="insufficient_scope", scope="a:read", algs="ES256 EdDSA"'],
    [
      inDpop(new UseDpopNonceError('n1', 'none')),
      'DPoP error="use_dpop_nonce", error_description="The DPoP proof must carry the nonce this server sent in DPoP-Nonce", algs="ES256 EdDSA"',
    ],
  ])('challenges a refusal of a DPoP request in the DPoP scheme with algs (RFC 9449 §7.1): %p', (error, challenge) => {
    expect(bearerChallenge(error, 401)).toBe(challenge);
  });

  it('sends the nonce of use_dpop_nonce as DPoP-Nonce', () => {
    expect(describeError(new UseDpopNonceError('n1', 'none'), VERIFIER_ERROR_MAPPING).headers).toEqual({ 'dpop-nonce': 'n1' });
  });

  it('never sends the reason of a refusal', () => {
    const error = new TokenInvalidError('kid "k1" is not in the key set');
    const answer = describeError(error, VERIFIER_ERROR_MAPPING);

    expect(JSON.stringify([errorResponseBody(answer), answer.headers, bearerChallenge(error, answer.status)])).not.toContain('k1');
  });

  it('strips quotes and backslashes from the scopes of the challenge', () => {
    expect(bearerChallenge(new InsufficientScopeError(['a"b', 'c\\d']), 403)).toBe('Bearer error="insufficient_scope", scope="ab cd"');
  });

  it('adds the Bearer challenge to any other 401, codes it as an invalid token, and codes a bare 403', () => {
    const unauthorized = describeError(new UnauthorizedException(), VERIFIER_ERROR_MAPPING);

    expect(unauthorized.code).toBe('ERR_TOKEN_INVALID');
    expect(bearerChallenge(new UnauthorizedException(), unauthorized.status)).toBe('Bearer');
    expect(bearerChallenge(new BadRequestException(), 400)).toBeUndefined();
    expect(describeError(new ForbiddenException(), VERIFIER_ERROR_MAPPING).code).toBe('ERR_INSUFFICIENT_SCOPE');
  });
});
