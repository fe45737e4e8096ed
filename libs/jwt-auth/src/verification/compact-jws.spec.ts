import { decodeJsonSegment, decodeSegment, splitCompactJws } from './compact-jws.js';

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');

describe('splitCompactJws', () => {
  it('splits three base64url segments and keeps header.payload as the signing input', () => {
    expect(splitCompactJws('aGVhZA.cGF5.c2ln')).toEqual({ header: 'aGVhZA', payload: 'cGF5', signature: 'c2ln', signingInput: 'aGVhZA.cGF5' });
  });

  it.each(['a.b', 'a.b.c.d', 'a..c', '.b.c', 'a.b.', 'a.b.c=', 'a.b+.c', 'a.b/.c', 'a b.c.d', 'a.b.c\n'])('refuses %p', (token) => {
    expect(splitCompactJws(token)).toBeUndefined();
  });
});

describe('decodeSegment: strict base64url', () => {
  it('decodes every length of canonical base64url', () => {
    for (const bytes of ['', 'a', 'ab', 'abc', 'abcd', 'abcde']) expect(decodeSegment(b64(bytes))?.toString()).toBe(bytes);
  });

  it('refuses a length of 4n+1 (no whole byte)', () => {
    expect(decodeSegment('QUJDR')).toBeUndefined();
  });

  it('refuses non-zero unused bits in the last character, so each byte string has one encoding', () => {
    expect(decodeSegment('QQ')?.toString()).toBe('A');
    expect(decodeSegment('QR')).toBeUndefined(); // 2 characters: 4 unused bits
    expect(decodeSegment('QUI')?.toString()).toBe('AB');
    expect(decodeSegment('QUJ')).toBeUndefined(); // 3 characters: 2 unused bits
  });
});

describe('decodeJsonSegment', () => {
  it('reads a JSON object', () => {
    expect(decodeJsonSegment(b64('{"alg":"ES256","kid":"k"}'))).toEqual({ alg: 'ES256', kid: 'k' });
  });

  it.each([
    ['a JSON array', b64('[1,2]')],
    ['a JSON string', b64('"ES256"')],
    ['null', b64('null')],
    ['truncated JSON', b64('{"alg":"ES256",')],
    ['invalid UTF-8', b64(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))],
    ['non-canonical base64url', `${b64('{"a":1}').slice(0, -1)}y`],
  ])('refuses %s', (_case, segment) => {
    expect(decodeJsonSegment(segment)).toBeUndefined();
  });
});
