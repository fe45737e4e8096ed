import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { importKeySet, type KeySetImportOptions } from './key-set-import.js';

function edKey(kid: string): JWK {
  return { ...(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as JWK), kid, use: 'sig', alg: 'EdDSA' };
}

/** An Ed25519 entry with random bytes: a well-formed, importable key nobody holds the private half of. */
function junk(index: number): JWK {
  return { kty: 'OKP', crv: 'Ed25519', x: randomBytes(32).toString('base64url'), kid: `junk-${index}`, alg: 'EdDSA' };
}

const options = (overrides: Partial<KeySetImportOptions> = {}): KeySetImportOptions => ({
  algorithms: ['EdDSA', 'ES256', 'RS256'],
  priority: [],
  previous: undefined,
  maxKeys: 64,
  ...overrides,
});

describe('importKeySet', () => {
  const real = edKey('real');
  const bloated = [...Array.from({ length: 10_000 }, (_, index) => junk(index)), real];

  it('keeps at most maxKeys keys, the first listed when nothing is asked for', () => {
    const imported = importKeySet(bloated, options());

    expect(imported.keys.size).toBe(64);
    expect(imported.usable).toBe(10_001);
    expect(imported.keys.has('junk-0')).toBe(true);
    expect(imported.keys.has('real')).toBe(false);
  });

  it('keeps a priority kid listed last in a set of 10,000 (a key in use, or one a request asks for)', () => {
    const imported = importKeySet(bloated, options({ priority: ['real'] }));

    expect(imported.keys.size).toBe(64);
    expect(imported.keys.get('real')?.key.export({ format: 'jwk' })).toMatchObject({ x: real.x });
  });

  it('skips entries no pinned algorithm can use, without counting them against the limit', () => {
    const decoys: unknown[] = [
      { kty: 'oct', k: 'c2VjcmV0', kid: 'real', alg: 'HS256' },
      { ...real, use: 'enc' },
      { ...real, key_ops: ['encrypt'] },
      { ...real, alg: 'RS256' },
      { ...real, alg: 'none' },
      { ...real, kid: '' },
      { ...real, kid: 7 },
      'not an object',
      null,
      [real],
    ];
    const rsa = { ...(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as JWK), kid: 'rsa' };

    const imported = importKeySet([...decoys, real, rsa], options({ algorithms: ['EdDSA'], maxKeys: 1 }));

    expect([...imported.keys.keys()]).toEqual(['real']);
    expect(imported.keys.get('real')?.jwkAlg).toBe('EdDSA');
    expect(imported.usable).toBe(1);
  });

  it('counts entries Node cannot import and tries at most twice maxKeys imports', () => {
    const offCurve = Array.from({ length: 1_000 }, (_, index) => ({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: `bad-${index}` }));

    const imported = importKeySet([...offCurve, real], options({ maxKeys: 4 }));

    expect(imported.keys.size).toBe(0);
    expect(imported.unimportable).toBe(8);
  });

  it('hands back the previous ResolvedKey for a key listed unchanged, and a new one for a changed key', () => {
    const first = importKeySet([real, edKey('other')], options());
    const again = importKeySet([real, edKey('other')], options({ previous: first.keys }));

    expect(again.keys.get('real')).toBe(first.keys.get('real'));
    expect(again.keys.get('other')).not.toBe(first.keys.get('other'));
  });

  it('never passes private members on: a listed private JWK yields its public key only', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const leaked = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'leaked' };

    const imported = importKeySet([leaked], options());

    expect(imported.keys.get('leaked')?.key.type).toBe('public');
  });
});
