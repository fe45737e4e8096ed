import { Inject, Injectable } from '@nestjs/common';
import { type ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { ConfigValidationError } from './config-validation.error.js';
import { configModuleFor, defineNamespace, loadConfig } from './namespace.js';
import { integer } from './parsers/integer.js';

const limitsConfig = defineNamespace('limits', (env) => ({ max: integer(env, 'MAX', { fallback: 5, min: 1, max: 10 }) }));
const nameConfig = defineNamespace('name', (env) => ({ value: env.NAME ?? 'none' }));
const NAMESPACES = [limitsConfig, nameConfig] as const;

@Injectable()
class Reader {
  constructor(@Inject(limitsConfig.KEY) readonly limits: ConfigType<typeof limitsConfig>) {}
}

describe('defineNamespace / loadConfig', () => {
  it('reads every namespace from the environment given, keyed by its name', () => {
    expect(loadConfig(NAMESPACES, { MAX: '7', NAME: 'x' })).toEqual({ limits: { max: 7 }, name: { value: 'x' } });
  });

  it('stops at a bad variable, naming it', () => {
    expect(() => loadConfig(NAMESPACES, { MAX: '11' })).toThrow(ConfigValidationError);
    expect(() => loadConfig(NAMESPACES, { MAX: '11' })).toThrow(/^Invalid configuration: MAX /);
  });

  it('serves the loaded values to @Inject(namespace.KEY) without reading the environment again', async () => {
    const config = loadConfig(NAMESPACES, { MAX: '3' });
    const moduleRef = await Test.createTestingModule({ imports: [configModuleFor(NAMESPACES, config)], providers: [Reader] }).compile();
    expect(moduleRef.get(Reader).limits).toBe(config.limits);
    expect(moduleRef.get(nameConfig.KEY)).toEqual({ value: 'none' });
    await moduleRef.close();
  });
});
