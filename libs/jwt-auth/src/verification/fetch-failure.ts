/**
 * Why a fetch failed, for a log line: the error's name and its cause's code (`TypeError:
 * ECONNREFUSED`, `TimeoutError`), never its message. Not `instanceof`: fetch errors may come from another realm.
 */
export function describeFetchFailure(error: unknown): string {
  const name = nameOf(error);
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (cause === undefined || cause === null) return name;
  return `${name}: ${typeof code === 'string' ? code : nameOf(cause)}`;
}

function nameOf(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : 'unknown error';
}
