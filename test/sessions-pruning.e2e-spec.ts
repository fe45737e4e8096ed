import { DATABASE, type Database } from '../apps/auth-service/src/database/database.js';
import { SessionsPruner } from '../apps/auth-service/src/sessions/sessions.pruner.js';
import { ThrottlePruner } from '../apps/auth-service/src/throttling/throttle.pruner.js';
import { startAuth, type RunningAuth } from './support/auth-app.js';
import { DAY, login, ManualClock, MINUTE, refresh } from './support/sessions.js';

/** The periodic clean-up keeps the tables the size of what is live, and deletes nothing that is. */
describe('pruning ended sessions and forgotten counters', () => {
  let auth: RunningAuth;
  let db: Database;
  const clock = new ManualClock();
  const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    auth = await startAuth({ REFRESH_TOKEN_TTL: '30d', SESSION_MAX_AGE: '45d' }, { clock });
    db = auth.app.get<Database>(DATABASE);
  });
  afterAll(() => auth.close());

  it('deletes expired refresh tokens and ended sessions, keeping live ones usable', async () => {
    const kept = (await login(auth.url).expect(200)).body.refresh_token;
    await login(auth.url).expect(200);
    clock.advance(20 * DAY);
    const current = (await refresh(auth.url, kept).expect(200)).body.refresh_token;
    expect(await count('refresh_tokens')).toBe(3);

    clock.advance(11 * DAY);
    const pruner = auth.app.get(SessionsPruner);
    expect(await pruner.run()).toBe(2);
    expect(await count('refresh_tokens')).toBe(1);
    expect(await count('refresh_families')).toBe(2);
    const last = (await refresh(auth.url, current).expect(200)).body.refresh_token;

    clock.advance(15 * DAY);
    await pruner.run();
    expect(await count('refresh_families')).toBe(0);
    expect(await count('refresh_tokens')).toBe(0);
    await refresh(auth.url, last).expect(400);
  });

  it('deletes failure counters once they are forgotten', async () => {
    await login(auth.url, 'ghost', 'wrong-password').expect(401);
    const pruner = auth.app.get(ThrottlePruner);
    await pruner.run();
    expect(await count('throttle_counters')).toBeGreaterThan(0);
    clock.advance(15 * MINUTE);
    await pruner.run();
    expect(await count('throttle_counters')).toBe(0);
  });
});
