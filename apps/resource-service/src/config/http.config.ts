import { defineNamespace, nodeEnvironment, port } from '@app/config';

/** Where the resource-service listens (`http` namespace). */
export interface ResourceHttpConfig {
  port: number;
  nodeEnv: string;
}

export const httpConfig = defineNamespace('http', (env): ResourceHttpConfig => ({ port: port(env, 'PORT', 3001), nodeEnv: nodeEnvironment(env) }));
