import { defineNamespace, isProduction, nodeEnvironment, port } from '@app/config';

/** Where the auth-service listens, and whether the production rules apply (`http` namespace). */
export interface HttpConfig {
  port: number;
  production: boolean;
  nodeEnv: string;
}

export const httpConfig = defineNamespace('http', (env): HttpConfig => ({
  port: port(env, 'PORT', 3000),
  production: isProduction(env),
  nodeEnv: nodeEnvironment(env),
}));
