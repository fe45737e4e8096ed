// Command-line flags of `npm run bench`. Every flag has a default; --quick shrinks them for a smoke run.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export const USAGE = `usage: npm run bench -- [--quick] [--algorithm RS256] [--duration 5] [--repeats 3]
                          [--connections 10] [--pool 1000] [--no-build]
  --quick        smoke run (<1 min): 1 s per route, 1 repeat, 50-token pool; exits 1 if any route errors
  --algorithm    JWT_ALGORITHM of the auth-service (${ALGORITHMS.join(', ')})
  --duration     seconds of measured load per route and repeat (after a short warm-up), run in
                 1-second slices interleaved with the routes it is compared with
  --repeats      times every measurement is repeated (fresh services each time); medians are reported
  --connections  concurrent HTTP connections of the load generator
  --pool         distinct access tokens for the "protected, token pool" row
  --fresh        tokens for the "fresh" and "forged" rows, signed by the bench before the load
                 (default 1.5 x JWT_VERIFIED_CACHE_SIZE, so each is a cache miss; --quick: 1,000)
  --no-build     use dist/ as it is
  --profile      run the services under node --cpu-prof; profiles go to bench/results/profiles/
  --only a,b     measure only these rows (public, protectedOne, protectedPool,
                 protectedNoFeed, protectedFeed, protectedBearerHot, protectedDpopES256, protectedDpopEdDSA, publicCold, protectedFresh, protectedForged, barePublic, bareFresh,
                 authLive, jwks, refresh,
                 clientCredentials, tokenExchange, authorizeLive, codeExchange, login)
  --auth-env K=V, --resource-env K=V
                 extra environment for one service (repeatable), e.g. --resource-env JWT_VERIFIED_CACHE_SIZE=0`;

/** The resource-service's JWT_VERIFIED_CACHE_SIZE default (docs/configuration.md). */
const DEFAULT_VERIFIED_CACHE_SIZE = 10_000;

const FULL = { duration: 5, slices: 5, warmup: 1, repeats: 3, connections: 10, pool: 1000, cryptoSeconds: 1 };
const QUICK = { duration: 1, slices: 1, warmup: 0.3, repeats: 1, connections: 10, pool: 50, cryptoSeconds: 0.2 };

export function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const options = { quick, build: true, algorithm: 'RS256', authEnv: {}, resourceEnv: {}, ...(quick ? QUICK : FULL) };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--quick') continue;
    else if (flag === '--no-build') options.build = false;
    else if (flag === '--profile') options.profile = true;
    else if (flag === '--only')
      options.only = value()
        .split(',')
        .map((key) => key.trim());
    else if (flag === '--auth-env') Object.assign(options.authEnv, assignment(flag, value()));
    else if (flag === '--resource-env') Object.assign(options.resourceEnv, assignment(flag, value()));
    else if (flag === '--algorithm') options.algorithm = oneOf(flag, value(), ALGORITHMS);
    else if (flag === '--duration') options.duration = number(flag, value(), 0.2, 600);
    else if (flag === '--repeats') options.repeats = Math.round(number(flag, value(), 1, 20));
    else if (flag === '--connections') options.connections = Math.round(number(flag, value(), 1, 1000));
    else if (flag === '--pool') options.pool = Math.round(number(flag, value(), 1, 100_000));
    else if (flag === '--fresh') options.fresh = Math.round(number(flag, value(), 1, 200_000));
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  // Every fresh token must be gone from the verified-token cache (oldest first out) before it comes round again.
  const cacheSize = Number(options.resourceEnv.JWT_VERIFIED_CACHE_SIZE ?? DEFAULT_VERIFIED_CACHE_SIZE);
  options.fresh ??= quick ? 1000 : Number.isFinite(cacheSize) ? Math.max(1000, Math.ceil(1.5 * cacheSize)) : 15_000;
  options.warmup = Math.min(options.warmup, options.duration);
  options.slices = Math.max(1, Math.min(options.slices, Math.floor(options.duration)));
  return options;
}

function assignment(flag, text) {
  const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/s.exec(text);
  if (!match) throw new Error(`${flag} takes NAME=value (got "${text}")`);
  return { [match[1]]: match[2] };
}

function oneOf(flag, text, allowed) {
  if (!allowed.includes(text)) throw new Error(`${flag} must be one of ${allowed.join(', ')} (got "${text}")`);
  return text;
}

function number(flag, text, min, max) {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${flag} must be a number from ${min} to ${max} (got "${text}")`);
  return value;
}
