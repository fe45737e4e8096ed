export { ConfigValidationError } from './config-validation.error.js';
export { type Environment, isProduction, nodeEnvironment, readEnvironment, setting } from './environment.js';
export { type ConfigNamespace, type ConfigOf, configModuleFor, defineNamespace, loadConfig, type NamespaceReader } from './namespace.js';
export { boolean, FALSE_WORDS, TRUE_WORDS } from './parsers/boolean.js';
export { duration, type DurationRule, formatDuration } from './parsers/duration.js';
export { integer, type IntegerRule, port } from './parsers/integer.js';
export { list, type ListRule } from './parsers/list.js';
export { oneOf } from './parsers/one-of.js';
export { ALLOW_INSECURE_HTTP, httpUrl, insecureHttpHosts, isHttpUrl, isLoopbackHost, trustedUrl, type TrustedUrlRule } from './parsers/url.js';
