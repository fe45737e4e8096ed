import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Longest password accepted, in UTF-8 bytes as sent. argon2 hashes every byte (nothing is truncated,
 * unlike bcrypt's 72), so the bound exists only to keep the hashing an anonymous caller can cause cheap.
 */
export const PASSWORD_MAX_BYTES = 1024;
/** The same bound under its earlier name. */
export const PASSWORD_MAX_LENGTH = PASSWORD_MAX_BYTES;
/** Shortest new password, in characters (code points) after NFKC normalisation. */
export const PASSWORD_MIN_LENGTH = 8;

/**
 * NFKC: the same visible password typed on two keyboards (full-width digits, ligatures, composed or
 * decomposed accents) hashes the same. Applied before hashing and before the length rules.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Why a password cannot be set, or undefined when it can (used by the register DTO and the CLI). */
export function newPasswordProblem(password: string): string | undefined {
  if (utf8Length(password) > PASSWORD_MAX_BYTES) return `must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`;
  if ([...normalizePassword(password)].length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  return undefined;
}

/**
 * A string of at most `maxBytes` bytes of UTF-8, counted as argon2 receives it (a lone surrogate is
 * the 3 bytes of U+FFFD). class-validator's IsByteLength goes through encodeURI, which throws on a
 * lone surrogate: that was a 500 for `"password":"\ud800"`.
 */
export function IsAtMostUtf8Bytes(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAtMostUtf8Bytes',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && utf8Length(value) <= maxBytes,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be at most ${maxBytes} bytes (UTF-8)`,
      },
    },
    options,
  );
}

/** A string that newPasswordProblem() accepts. */
export function IsNewPassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNewPassword',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && newPasswordProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'password'} ${typeof args?.value === 'string' ? newPasswordProblem(args.value) : 'must be a string'}`,
      },
    },
    options,
  );
}
