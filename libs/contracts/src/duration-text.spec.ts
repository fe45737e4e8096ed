import { parseDuration } from './duration-text.js';

describe('parseDuration', () => {
  it.each([
    ['900', 900_000],
    ['500ms', 500],
    ['30s', 30_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['1.5s', 1500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '-5s', '5 weeks', '10y', 's'])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
