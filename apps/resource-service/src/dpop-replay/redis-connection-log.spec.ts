import { RedisConnectionLog, redisFailure, secretsOf } from './redis-connection-log.js';

const URL_WITH_PASSWORD = 'redis://dpop-user:p%40ss-w0rd@redis.internal:6390/2';

function refused(): NodeJS.ErrnoException {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:6390'), { code: 'ECONNREFUSED', syscall: 'connect', address: '10.0.0.7' });
}

describe('RedisConnectionLog', () => {
  let now: number;
  let lines: string[];
  let log: RedisConnectionLog;
  beforeEach(() => {
    now = 0;
    lines = [];
    log = new RedisConnectionLog(
      { warn: (m) => lines.push(`warn ${m}`), log: (m) => lines.push(`info ${m}`) },
      secretsOf(URL_WITH_PASSWORD),
      60_000,
      () => now,
    );
  });

  it('warns of the first failure at once, then at most once a minute with the count of those in between', () => {
    for (let second = 0; second < 130; second += 2) {
      now = second * 1000;
      log.failed(refused());
    }

    expect(lines).toEqual([
      'warn Redis of the DPoP replay records: connect ECONNREFUSED; DPoP requests are refused (503) until it answers; reconnecting',
      'warn Redis of the DPoP replay records: connect ECONNREFUSED (29 more failures since the last warning); DPoP requests are refused (503) until it answers; reconnecting',
      'warn Redis of the DPoP replay records: connect ECONNREFUSED (29 more failures since the last warning); DPoP requests are refused (503) until it answers; reconnecting',
    ]);
  });

  it('says "connected" once, and "connected again" only after an outage it warned of (a flapping Redis stays quiet)', () => {
    log.ready();
    log.failed(refused());
    now = 2_000;
    log.ready();
    now = 4_000;
    log.failed(refused());
    now = 6_000;
    log.ready();

    expect(lines.map((line) => line.replace(/:.*;.*/, ': …'))).toEqual([
      'info Redis of the DPoP replay records: connected',
      'warn Redis of the DPoP replay records: …',
      'info Redis of the DPoP replay records: connected again',
    ]);
  });
});

describe('redisFailure', () => {
  const secrets = secretsOf(URL_WITH_PASSWORD);

  it('names a system error by its call and code only: node puts the address in the message', () => {
    expect(redisFailure(refused(), secrets)).toBe('connect ECONNREFUSED');
    expect(redisFailure(Object.assign(new Error('getaddrinfo ENOTFOUND redis.internal'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' }), secrets)).toBe(
      'getaddrinfo ENOTFOUND',
    );
  });

  it('blots out the URL, its user, its password (as written and decoded) and its host from any other message', () => {
    const text = redisFailure(new Error(`WRONGPASS for dpop-user with p@ss-w0rd (p%40ss-w0rd) at redis.internal, from ${URL_WITH_PASSWORD}`), secrets);

    expect(text).toBe('Error: WRONGPASS for … with … (…) at …, from …');
  });

  it('a thrown non-error is named without its content', () => {
    expect(redisFailure({ url: URL_WITH_PASSWORD }, secrets)).toBe('the Redis client failed');
  });
});
