import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { newPasswordProblem, normalizePassword } from './password.js';
import { RegisterRequestDto } from './register.dto.js';
import { LoginRequestDto } from './login.dto.js';

describe('password rules', () => {
  it('normalises with NFKC', () => {
    expect(normalizePassword('ｐａｓｓ１')).toBe('pass1');
    expect(normalizePassword('e\u0301')).toBe('é');
    expect(normalizePassword('ﬁ')).toBe('fi');
  });

  it.each([
    ['8 ASCII characters', 'abcdefgh', undefined],
    ['7 characters', 'abcdefg', 'must be at least 8 characters'],
    ['8 code points that NFKC composes to 4', 'e\u0301'.repeat(4), 'must be at least 8 characters'],
    ['4 ligatures that NFKC expands to 8', 'ﬁﬁﬁﬁ', undefined],
    ['1024 bytes (512 two-byte characters)', 'é'.repeat(512), undefined],
    ['1025 bytes', `${'é'.repeat(512)}x`, 'must be at most 1024 bytes (UTF-8)'],
  ])('%s: %p', (_, password, problem) => {
    expect(newPasswordProblem(password)).toBe(problem);
  });

  it('names the field in the register DTO message', () => {
    const errors = validateSync(plainToInstance(RegisterRequestDto, { username: 'ann', password: 'short' }));
    expect(errors.map((e) => Object.values(e.constraints ?? {})).flat()).toEqual(['password must be at least 8 characters']);
  });

  it('lets login take a short password (rules apply when a password is set) but not one over 1024 bytes', () => {
    expect(validateSync(plainToInstance(LoginRequestDto, { username: 'ann', password: 'x' }))).toEqual([]);
    const errors = validateSync(plainToInstance(LoginRequestDto, { username: 'ann', password: '€'.repeat(342) }));
    expect(errors.map((e) => Object.values(e.constraints ?? {})).flat()).toEqual(['password must be at most 1024 bytes (UTF-8)']);
  });

  it('counts a lone surrogate as the 3 bytes of U+FFFD instead of throwing (encodeURI in IsByteLength did: a 500)', () => {
    expect(validateSync(plainToInstance(LoginRequestDto, { username: 'ann', password: '\ud800' }))).toEqual([]);
    const errors = validateSync(plainToInstance(LoginRequestDto, { username: 'ann', password: '\udfff'.repeat(342) }));
    expect(errors.map((e) => Object.values(e.constraints ?? {})).flat()).toEqual(['password must be at most 1024 bytes (UTF-8)']);
    expect(newPasswordProblem('\ud800'.repeat(8))).toBeUndefined();
  });
});
