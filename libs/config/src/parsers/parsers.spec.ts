import { ConfigValidationError } from '../config-validation.error.js';
import type { Environment } from '../environment.js';
import { boolean } from './boolean.js';
import { duration, formatDuration } from './duration.js';
import { integer, port } from './integer.js';
import { list } from './list.js';
import { oneOf } from './one-of.js';
import { redisUrl } from './redis-url.js';
import { httpUrl, trustedUrl } from './url.js';

function refusal(read: () => unknown): ConfigValidationError {
  try {
    read();
  } catch (error: unknown) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('the value was accepted');
}

describe('boolean', () => {
  it.each(['true', '1', 'yes', 'on', 'TRUE', 'Yes', ' On '])('reads %p as true', (text) => {
    expect(boolean({ FLAG: text }, 'FLAG', false)).toBe(true);
  });

  it.each(['false', '0', 'no', 'off', 'FALSE', 'No', 'OFF'])('reads %p as false', (text) => {
    expect(boolean({ FLAG: text }, 'FLAG', true)).toBe(false);
  });

  it('gives the default when unset or blank', () => {
    expect(boolean({}, 'FLAG', true)).toBe(true);
    expect(boolean({ FLAG: '  ' }, 'FLAG', false)).toBe(false);
  });

  it.each(['enabled', 'y', '2', 'yes please'])('refuses %p, naming the variable and the vocabulary', (text) => {
    const error = refusal(() => boolean({ FLAG: text }, 'FLAG', false));
    expect(error.variable).toBe('FLAG');
    expect(error.message).toBe(`Invalid configuration: FLAG must be a boolean: true/false, 1/0, yes/no or on/off (got "${text}")`);
  });
});

describe('integer', () => {
  const rule = { fallback: 5, min: 1, max: 100 };

  it('reads digits within the range, blanks around them dropped', () => {
    expect(integer({ N: '1' }, 'N', rule)).toBe(1);
    expect(integer({ N: ' 100 ' }, 'N', rule)).toBe(100);
    expect(integer({ N: '' }, 'N', rule)).toBe(5);
    expect(integer({}, 'N', rule)).toBe(5);
  });

  it.each(['0', '101', '-1', '1.5', '1e2', '0x10', 'many', '99999999999999999999'])('refuses %p', (text) => {
    expect(refusal(() => integer({ N: text }, 'N', rule)).message).toBe(`Invalid configuration: N must be an integer from 1 to 100 (got "${text}")`);
  });

  it('reads a port from 0 to 65535', () => {
    expect(port({ PORT: '0' }, 'PORT', 3000)).toBe(0);
    expect(port({}, 'PORT', 3000)).toBe(3000);
    expect(refusal(() => port({ PORT: '65536' }, 'PORT', 3000)).variable).toBe('PORT');
  });
});

describe('duration', () => {
  const rule = { fallback: '15m', min: 1000, max: 86_400_000 };

  it('reads seconds or a number with a unit, in milliseconds', () => {
    expect(duration({ T: '900' }, 'T', rule)).toBe(900_000);
    expect(duration({ T: '1500ms' }, 'T', rule)).toBe(1500);
    expect(duration({ T: ' 1d ' }, 'T', rule)).toBe(86_400_000);
    expect(duration({ T: '' }, 'T', rule)).toBe(900_000);
  });

  it('refuses text that is no duration', () => {
    expect(refusal(() => duration({ T: 'forever' }, 'T', rule)).message).toMatch(/^Invalid configuration: T must be a duration such as .* \(got "forever"\)$/);
  });

  it('refuses a duration out of range, with the bounds as durations', () => {
    expect(refusal(() => duration({ T: '500ms' }, 'T', rule)).message).toBe('Invalid configuration: T must be between 1s and 1d (got "500ms")');
    expect(refusal(() => duration({ T: '2d' }, 'T', rule)).variable).toBe('T');
  });

  it.each([
    [0, '0ms'],
    [100, '100ms'],
    [1500, '1500ms'],
    [30_000, '30s'],
    [90_000, '90s'],
    [300_000, '5m'],
    [7_200_000, '2h'],
    [31_536_000_000, '365d'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('httpUrl', () => {
  it('keeps the URL as written, trailing slash included, blanks around it dropped', () => {
    expect(httpUrl({ U: 'https://id.example.com/' }, 'U', 'http://x')).toBe('https://id.example.com/');
    expect(httpUrl({ U: ' http://a:1 ' }, 'U', 'http://x')).toBe('http://a:1');
    expect(httpUrl({ U: ' ' }, 'U', 'http://x')).toBe('http://x');
  });

  it.each(['not a url', 'ftp://x', 'file:///etc/passwd', '/relative'])('refuses %p', (text) => {
    expect(refusal(() => httpUrl({ U: text }, 'U', 'http://x')).message).toBe(`Invalid configuration: U must be an http(s) URL (got "${text}")`);
  });
});

describe('trustedUrl (the Transport rule)', () => {
  const PROD = { NODE_ENV: 'production' };
  const read = (env: Environment) => trustedUrl(env, 'U', { fallback: 'http://localhost:3000' });

  it('accepts plain http to any host outside production', () => {
    expect(read({ U: 'http://auth.internal:3000' })).toBe('http://auth.internal:3000');
  });

  it('refuses plain http to a non-loopback host in production, naming the variable and the way out', () => {
    const error = refusal(() => read({ ...PROD, U: 'http://auth.example.com' }));
    expect(error.variable).toBe('U');
    expect(error.message).toContain('must be an https URL when NODE_ENV=production');
    expect(error.message).toContain('ALLOW_INSECURE_HTTP');
  });

  it.each(['https://auth.example.com', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://127.8.9.10/', 'http://[::1]:3000/x'])(
    'accepts %p in production (https, or a loopback host)',
    (url) => {
      expect(read({ ...PROD, U: url })).toBe(url);
    },
  );

  it.each(['http://localhost.example.com', 'http://128.0.0.1', 'http://[::2]', 'http://0.0.0.0'])('refuses %p in production: not loopback', (url) => {
    expect(refusal(() => read({ ...PROD, U: url })).variable).toBe('U');
  });

  it('accepts plain http in production to a host ALLOW_INSECURE_HTTP names, in any case, and to no other', () => {
    const env = { ...PROD, ALLOW_INSECURE_HTTP: ' Auth-Service , mesh.internal' };
    expect(read({ ...env, U: 'http://auth-service:3000/x' })).toBe('http://auth-service:3000/x');
    expect(read({ ...env, U: 'http://MESH.internal' })).toBe('http://MESH.internal');
    expect(refusal(() => read({ ...env, U: 'http://other.internal' })).variable).toBe('U');
  });

  it('refuses an unset variable in production when its fallback is for local use only', () => {
    const rule = { fallback: 'http://localhost:3000', localFallback: true };
    expect(trustedUrl({}, 'U', rule)).toBe('http://localhost:3000');
    expect(refusal(() => trustedUrl(PROD, 'U', rule)).message).toBe(
      'Invalid configuration: U must be set when NODE_ENV=production (the default http://localhost:3000 is for local use only)',
    );
  });

  it.each(['*', 'http://auth-service', 'auth-service:3000', 'a,,b', 'auth service', '*.internal'])(
    'refuses ALLOW_INSECURE_HTTP=%p, in every environment',
    (hosts) => {
      expect(refusal(() => read({ ALLOW_INSECURE_HTTP: hosts })).variable).toBe('ALLOW_INSECURE_HTTP');
      expect(refusal(() => read({ ...PROD, ALLOW_INSECURE_HTTP: hosts, U: 'https://a' })).variable).toBe('ALLOW_INSECURE_HTTP');
    },
  );
});

describe('redisUrl', () => {
  const PROD = { NODE_ENV: 'production' };
  const read = (env: Environment) => redisUrl(env, 'R');

  it('is undefined when unset or blank', () => {
    expect(read({})).toBeUndefined();
    expect(read({ R: '  ' })).toBeUndefined();
  });

  it.each(['redis://127.0.0.1:6379', 'redis://:s3cret@redis.internal:6380/2', 'rediss://user:pw@redis.example.com/', 'redis://[::1]'])(
    'reads %p as written',
    (url) => {
      expect(read({ R: ` ${url} ` })).toBe(url);
    },
  );

  it.each([
    ['not a url', 'must be a redis:// or rediss:// URL'],
    ['http://:pw@redis.internal', 'must be a redis:// or rediss:// URL'],
    ['redis://', 'must be a redis:// or rediss:// URL'],
    ['redis:///0', 'must be a redis:// or rediss:// URL'],
    ['redis://:pw@redis.internal/cache', 'no path but a database number'],
    ['redis://:pw@redis.internal/0/1', 'no path but a database number'],
    ['redis://:pw@redis.internal?db=1', 'no query or fragment'],
    ['redis://:pw@redis.internal#x', 'no query or fragment'],
    ['redis://:pw%zz@redis.internal', 'not valid percent-encoding'],
  ])('refuses %p without repeating it', (url, problem) => {
    const error = refusal(() => read({ R: url }));
    expect(error.variable).toBe('R');
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain('pw');
    expect(error.message).not.toContain('redis.internal');
  });

  it('in production: plain redis:// only to a loopback host or one ALLOW_INSECURE_HTTP names (any case); rediss:// anywhere', () => {
    const error = refusal(() => read({ ...PROD, R: 'redis://:s3cret@redis.internal:6379' }));
    expect(error.message).toBe(
      'Invalid configuration: R must be a rediss:// (TLS) URL when NODE_ENV=production; plain redis:// is allowed only to a loopback host or one named in ALLOW_INSECURE_HTTP',
    );
    expect(read({ ...PROD, R: 'rediss://:s3cret@redis.internal:6379' })).toBe('rediss://:s3cret@redis.internal:6379');
    expect(read({ ...PROD, R: 'redis://localhost:6379/1' })).toBe('redis://localhost:6379/1');
    expect(read({ ...PROD, R: 'redis://127.0.0.1' })).toBe('redis://127.0.0.1');
    expect(read({ ...PROD, ALLOW_INSECURE_HTTP: 'redis', R: 'redis://:pw@REDIS:6379' })).toBe('redis://:pw@REDIS:6379');
    expect(refusal(() => read({ ...PROD, ALLOW_INSECURE_HTTP: 'redis', R: 'redis://other:6379' })).variable).toBe('R');
    expect(refusal(() => read({ ALLOW_INSECURE_HTTP: '*', R: 'redis://redis:6379' })).variable).toBe('ALLOW_INSECURE_HTTP');
  });
});

describe('oneOf', () => {
  const levels = ['info', 'debug'] as const;

  it('reads an allowed value, spelled exactly', () => {
    expect(oneOf({ L: 'debug' }, 'L', levels, 'info')).toBe('debug');
    expect(oneOf({}, 'L', levels, 'info')).toBe('info');
  });

  it('refuses another spelling, listing what is allowed', () => {
    expect(refusal(() => oneOf({ L: 'DEBUG' }, 'L', levels, 'info')).message).toBe('Invalid configuration: L must be one of info, debug (got "DEBUG")');
  });
});

describe('list', () => {
  const even = (item: string) => (/^\d+$/.test(item) && Number(item) % 2 === 0 ? Number(item) : undefined);

  it('splits on commas and trims each entry', () => {
    expect(list({ L: 'a, b ,c' }, 'L', { fallback: [], entry: 'a name' })).toEqual(['a', 'b', 'c']);
    expect(list({ L: '2,4' }, 'L', { fallback: [], entry: 'an even number', parse: even })).toEqual([2, 4]);
  });

  it('gives the default when unset or blank', () => {
    const env: Environment = { L: ' ' };
    expect(list(env, 'L', { fallback: ['x'], entry: 'a name' })).toEqual(['x']);
  });

  it.each(['a,,b', 'a,', ',a'])('refuses an empty entry in %p', (text) => {
    expect(refusal(() => list({ L: text }, 'L', { fallback: [], entry: 'a name' })).variable).toBe('L');
  });

  it('refuses an entry the parser refuses, quoting it', () => {
    expect(refusal(() => list({ L: '2, 3' }, 'L', { fallback: [], entry: 'an even number', parse: even })).message).toBe(
      'Invalid configuration: L must be a comma-separated list, each entry an even number (got "3")',
    );
  });
});
