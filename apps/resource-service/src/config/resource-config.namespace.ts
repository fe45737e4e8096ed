import { registerAs } from '@nestjs/config';
import type { ResourceConfig } from './resource.config.js';

/** The @nestjs/config namespace under which the validated settings are read (`getOrThrow`). */
export const RESOURCE_CONFIG = 'resource';

export const resourceConfigNamespace = (config: ResourceConfig) => registerAs(RESOURCE_CONFIG, (): ResourceConfig => config);
