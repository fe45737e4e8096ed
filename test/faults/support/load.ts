import { sleep } from '../../support/service-process.js';

/** One answer seen by the load: which route, its status and Retry-After, and whether the database was down. */
export interface Answer {
  route: string;
  status: number;
  retryAfter: string | null;
  during: 'up' | 'down' | 'recovering';
  at: number;
}

export interface Reply {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

/** A JSON request that never throws: a network error is status 0. */
export async function send(url: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Reply> {
  try {
    const res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text }; // not JSON (never expected): kept for the failure message
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  } catch {
    return { status: 0, retryAfter: null, body: {} };
  }
}

/** Runs `worker` in `count` concurrent loops until `stop()`; each loop pauses `pauseMs` between turns. */
export function loop(count: number, pauseMs: number, worker: (index: number) => Promise<void>): { stop: () => Promise<void> } {
  let running = true;
  const loops = Array.from({ length: count }, async (_, index) => {
    // oxlint-disable-next-line no-unmodified-loop-condition -- `stop()` clears `running` while the loops run
    while (running) {
      await worker(index);
      await sleep(pauseMs);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
