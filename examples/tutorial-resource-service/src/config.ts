/** Everything this service is told, from the environment only. */
export interface TutorialConfig {
  /** The exact `iss` of the tokens (the auth-service's AUTH_ISSUER). */
  issuer: string;
  /** The `aud` this service accepts (one of the auth-service's AUTH_AUDIENCE). */
  audience: string;
  /** Where the public keys are read. */
  jwksUri: string;
  port: number;
}

export const TUTORIAL_CONFIG = Symbol('TUTORIAL_CONFIG');

/** Reads AUTH_ISSUER, AUTH_AUDIENCE, JWKS_URI and PORT; throws naming the variable when one is unusable. */
export function tutorialConfig(env: NodeJS.ProcessEnv): TutorialConfig {
  const issuer = env.AUTH_ISSUER || 'http://localhost:3000';
  if (!/^https?:\/\/[^/]/.test(issuer)) throw new Error(`AUTH_ISSUER must be an http(s) URL, got ${JSON.stringify(issuer)}`);
  const port = Number(env.PORT || 3002);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  return {
    issuer,
    audience: env.AUTH_AUDIENCE || 'resource-service',
    jwksUri: env.JWKS_URI || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    port,
  };
}
