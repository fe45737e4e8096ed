import { ExtractJwt } from 'passport-jwt';
import { bearerToken } from './bearer-token.js';

const passportJwt = ExtractJwt.fromAuthHeaderAsBearerToken();
const request = (authorization?: unknown) => ({ headers: authorization === undefined ? {} : { authorization } });

describe('bearerToken', () => {
  it.each([
    ['Bearer aaa.bbb.ccc', 'aaa.bbb.ccc'],
    ['bearer aaa.bbb.ccc', 'aaa.bbb.ccc'],
    ['BEARER aaa.bbb.ccc', 'aaa.bbb.ccc'],
    ['Bearer   aaa.bbb.ccc', 'aaa.bbb.ccc'],
    ['Bearer\taaa.bbb.ccc', 'aaa.bbb.ccc'],
    ['  Bearer aaa.bbb.ccc', 'aaa.bbb.ccc'],
    ['Basic dXNlcjpwYXNz', null],
    ['Bearer', null],
    ['Bearer ', null],
    ['', null],
  ])('reads %j as passport-jwt does (%j)', (header, expected) => {
    expect(bearerToken(request(header))).toBe(expected);
    expect(passportJwt(request(header) as never)).toBe(expected);
  });

  it('finds no token without an Authorization header, or with a non-string one', () => {
    expect(bearerToken(request())).toBeNull();
    expect(bearerToken(request(['Bearer a', 'Bearer b']))).toBeNull();
  });

  it('keeps what follows the token, so trailing junk makes the token malformed instead of being cut off', () => {
    expect(bearerToken(request('Bearer aaa.bbb.ccc junk'))).toBe('aaa.bbb.ccc junk');
  });
});
