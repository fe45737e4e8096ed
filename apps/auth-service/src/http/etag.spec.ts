import { etagMatches } from './etag.js';

describe('etagMatches', () => {
  const etag = '"abc"';
  it.each([['"abc"'], ['W/"abc"'], ['"x", "abc"'], ['*']])('matches %s', (header) => expect(etagMatches(header, etag)).toBe(true));
  it.each([[undefined], [''], ['"abcd"'], ['abc']])('does not match %p', (header) => expect(etagMatches(header, etag)).toBe(false));
});
