import { DpopReplayStoreUnavailableError, InvalidDpopProofError, UseDpopNonceError } from '../dpop/dpop.errors.js';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import { verificationOutcomeOf } from './verification-outcome.js';

describe('verificationOutcomeOf: DPoP refusals', () => {
  it('counts a bad proof as invalid_dpop_proof and a missing nonce as use_dpop_nonce; a bound token sent as Bearer stays invalid', () => {
    expect(verificationOutcomeOf(new InvalidDpopProofError('the proof was used before ("jti")'))).toBe('invalid_dpop_proof');
    expect(verificationOutcomeOf(new UseDpopNonceError('n', 'none'))).toBe('use_dpop_nonce');
    expect(verificationOutcomeOf(new TokenInvalidError('a DPoP-bound token sent with the Bearer scheme'))).toBe('invalid');
  });

  it('counts a replay store that cannot answer as replay_store_unavailable', () => {
    expect(verificationOutcomeOf(new DpopReplayStoreUnavailableError('connect ECONNREFUSED'))).toBe('replay_store_unavailable');
  });
});
