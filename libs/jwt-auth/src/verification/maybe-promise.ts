/**
 * A value now, or later. The verification path answers synchronously whenever nothing has to be
 * waited for (a cached token, a key of the fresh set): every promise a request creates costs a
 * microtask, and more while async hooks are on (docs/performance.md "The cold path").
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
