import { type ConfigFactoryKeyHost, ConfigModule, registerAs } from '@nestjs/config';
import type { DynamicModule } from '@nestjs/common';
import { type Environment, readEnvironment } from './environment.js';

/**
 * A typed `@nestjs/config` namespace (`registerAs`): called with an environment it validates and
 * returns its part of the settings (throwing ConfigValidationError naming the variable); called by
 * Nest without one it reads the process environment. Read it with
 * `@Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>`.
 */
export type ConfigNamespace<K extends string = string, T extends object = object> = ((env?: Environment) => T) &
  ConfigFactoryKeyHost<T> & { readonly namespace: K };

export function defineNamespace<K extends string, T extends object>(namespace: K, read: (env: Environment) => T): ConfigNamespace<K, T> {
  const factory = registerAs(namespace, (env: Environment = readEnvironment()): T => read(env));
  return Object.defineProperty(factory, 'namespace', { value: namespace, enumerable: true }) as ConfigNamespace<K, T>;
}

/** What loadConfig needs of a namespace: its name, and reading it from an environment. */
export type NamespaceReader = ((env?: Environment) => object) & { readonly namespace: string };

/** The settings of a list of namespaces, keyed by namespace name. */
export type ConfigOf<N extends readonly NamespaceReader[]> = { [E in N[number] as E['namespace']]: ReturnType<E> };

/**
 * Validates the whole environment once, namespace by namespace, and returns every value; the first
 * bad variable stops it (ConfigValidationError). Services call it before they create the app.
 */
export function loadConfig<const N extends readonly NamespaceReader[]>(namespaces: N, env: Environment): ConfigOf<N> {
  return Object.fromEntries(namespaces.map((namespace) => [namespace.namespace, namespace(env)])) as ConfigOf<N>;
}

/**
 * The global ConfigModule serving `config` (from `loadConfig`) under each namespace's key, so that
 * nothing is read or validated twice and `process.env` is never consulted afterwards.
 */
export function configModuleFor<const N extends readonly NamespaceReader[]>(namespaces: N, config: ConfigOf<N>): Promise<DynamicModule> {
  const values = config as Record<string, object>;
  const load = namespaces.map((namespace) => registerAs(namespace.namespace, () => values[namespace.namespace]));
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load });
}
