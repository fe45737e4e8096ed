import { ConfigValidationError, defineNamespace, type Environment, isProduction } from '@app/config';
import { USERNAME_PATTERN } from '@app/contracts';

export interface DemoUserConfig {
  username: string;
  password: string;
}

/** Accounts the service ensures at start (`users` namespace). */
export interface UsersConfig {
  /** `DEMO_USER`: created at start outside production; absent when DEMO_USER is empty or in production. */
  demo?: DemoUserConfig;
}

const DEFAULT_DEMO_USER = 'testuser:password';

export const usersConfig = defineNamespace('users', (env): UsersConfig => ({ demo: demoUser(env) }));

/** Unlike other variables, an empty (or blank) DEMO_USER means "none", not "the default". Read untrimmed: a password may hold blanks. */
function demoUser(env: Environment): DemoUserConfig | undefined {
  const text = env.DEMO_USER;
  const blank = text !== undefined && text.trim() === '';
  if (isProduction(env)) {
    if (text !== undefined && !blank)
      throw new ConfigValidationError('DEMO_USER', 'is refused when NODE_ENV=production: create users with `npm run cli -- users add`');
    return undefined;
  }
  if (blank) return undefined;
  const value = text ?? DEFAULT_DEMO_USER;
  const split = value.indexOf(':');
  const username = value.slice(0, split);
  const password = value.slice(split + 1);
  if (split < 1 || !USERNAME_PATTERN.test(username) || password.length < 1) {
    throw new ConfigValidationError('DEMO_USER', 'must be <username>:<password> (or empty to create none)');
  }
  return { username, password };
}
