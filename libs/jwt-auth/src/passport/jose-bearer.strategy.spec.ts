import type { AuthenticatedCaller, AuthenticatedUser } from '@app/contracts';
import { ErrorCode } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import type { TokenVerifier } from '../verification/token-verifier.js';
import { type BearerOutcome, JoseBearerStrategy, type VerifiedUserCallback } from './jose-bearer.strategy.js';

const alice: AuthenticatedUser = {
  userId: 'u-1',
  username: 'alice',
  scopes: ['profile'],
  tokenId: 'j-1',
  sessionId: 's-1',
  expiresAt: 2_000_000_000,
  issuedAt: 1_999_999_100,
};

/** A verifier that accepts the token "good" (synchronously, or later with "later") and refuses anything else. */
const verifier = {
  verify(token: string) {
    if (token === 'good') return alice;
    if (token === 'later') return Promise.resolve(alice);
    throw new TokenInvalidError('refused');
  },
} as unknown as TokenVerifier;

const request = (token?: string) => ({ headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }) as never;

/** A strategy the way Nest's PassportStrategy mixin builds one: `validate` on the class, the callback unused. */
class WithValidate extends JoseBearerStrategy {
  constructor(private readonly hook: (user: AuthenticatedCaller) => unknown) {
    super(verifier, undefined, () => {
      throw new Error('the verify callback is not used when the strategy has validate()');
    });
  }
  validate(user: AuthenticatedCaller): unknown {
    return this.hook(user);
  }
}

const outcomeOf = async (result: BearerOutcome | Promise<BearerOutcome>) => result;

describe('JoseBearerStrategy.check and validate()', () => {
  it('is synchronous for a synchronous verifier answer and a synchronous validate, and hands over what validate returns', () => {
    const strategy = new WithValidate((user) => ({ ...user, username: 'enriched' }));
    const outcome = strategy.check(request('good'));
    expect(outcome).not.toBeInstanceOf(Promise);
    expect(outcome).toMatchObject({ outcome: 'success', user: { userId: 'u-1', username: 'enriched' } });
  });

  it('awaits an async validate and a verifier that answers later', async () => {
    const strategy = new WithValidate(async (user) => ({ ...user, username: 'later' }));
    await expect(outcomeOf(strategy.check(request('later')))).resolves.toMatchObject({ outcome: 'success', user: { username: 'later' } });
    await expect(outcomeOf(strategy.check(request('good')))).resolves.toMatchObject({ outcome: 'success', user: { username: 'later' } });
  });

  it('refuses when validate returns a falsy value, and passes on the info of [false, info]', async () => {
    expect(new WithValidate(() => false).check(request('good'))).toMatchObject({ outcome: 'fail', challenge: { code: ErrorCode.TokenInvalid } });
    const info = new TokenInvalidError('not this one');
    expect(new WithValidate(() => [false, info]).check(request('good'))).toEqual({ outcome: 'fail', challenge: info });
    await expect(outcomeOf(new WithValidate(async () => null).check(request('good')))).resolves.toMatchObject({ outcome: 'fail' });
  });

  it('turns a validate that throws or rejects into an error outcome, not a refusal', async () => {
    const failure = new Error('database down');
    expect(
      new WithValidate(() => {
        throw failure;
      }).check(request('good')),
    ).toEqual({ outcome: 'error', error: failure });
    await expect(outcomeOf(new WithValidate(() => Promise.reject(failure)).check(request('good')))).resolves.toEqual({ outcome: 'error', error: failure });
  });

  it('does not run validate for a missing or refused token', () => {
    const strategy = new WithValidate(() => {
      throw new Error('validate must not run');
    });
    expect(strategy.check(request())).toMatchObject({ outcome: 'fail', challenge: { code: ErrorCode.TokenMissing } });
    expect(strategy.check(request('forged'))).toMatchObject({ outcome: 'fail', challenge: { code: ErrorCode.TokenInvalid } });
  });

  it("uses passport-jwt's verify callback when the strategy has no validate()", async () => {
    const callback: VerifiedUserCallback = (user, done) => done(null, { ...user, username: 'via-callback' } as AuthenticatedCaller);
    const strategy = new JoseBearerStrategy(verifier, undefined, callback);
    await expect(outcomeOf(strategy.check(request('good')))).resolves.toMatchObject({ outcome: 'success', user: { username: 'via-callback' } });
  });
});
