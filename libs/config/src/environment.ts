/** Environment variables by name, as `process.env` holds them; tests hand in their own object. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The one place the services read the process environment (main.ts and cli.ts hand it to their loader). */
export function readEnvironment(): Environment {
  return { ...process.env };
}

/**
 * A variable's value with surrounding blanks dropped; unset and blank both give undefined, which
 * every parser reads as "use the default" (docs/configuration.md).
 */
export function setting(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `NODE_ENV`, `development` when unset. */
export function nodeEnvironment(env: Environment): string {
  return setting(env, 'NODE_ENV') ?? 'development';
}

/** `NODE_ENV=production`: the production rules of docs/configuration.md apply. */
export function isProduction(env: Environment): boolean {
  return nodeEnvironment(env) === 'production';
}
