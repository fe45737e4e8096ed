/**
 * RFC 6749 3.3's scope-token characters (NQCHAR: %x21 / %x23-5B / %x5D-7E, printable ASCII without
 * space, `"` and `\`), which also lie within 5.2's `error_description` set.
 */
const NQCHARS = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/** What an error description or a log line says instead of request text it will not repeat. */
export const NOT_SHOWN = '(not shown)';

/**
 * Request text (a scope token, a field name) as an error description or a log line may name it: as
 * it came when it is a short run of NQCHARs, else NOT_SHOWN. Raw request text never reaches an
 * answer or a log, so a CR/LF, a quote or a backslash cannot break RFC 6749 5.2's character set or
 * forge a log line.
 */
export function shown(text: string): string {
  return NQCHARS.test(text) ? text : NOT_SHOWN;
}
