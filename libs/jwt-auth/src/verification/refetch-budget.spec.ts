import { RefetchBudget } from './refetch-budget.js';

describe('RefetchBudget (on a manual clock)', () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  const drain = (budget: RefetchBudget) => {
    let taken = 0;
    while (budget.tryTake()) taken += 1;
    return taken;
  };

  it('allows perMinute fetches at once, then one every 60 s / perMinute', () => {
    const budget = new RefetchBudget(10, clock);

    expect(drain(budget)).toBe(10);
    now += 5_999;
    expect(budget.tryTake()).toBe(false);
    expect(budget.msUntilNext()).toBe(1);
    now += 1;
    expect(budget.tryTake()).toBe(true);
    expect(budget.tryTake()).toBe(false);
  });

  it('refills to perMinute at most, and exactly for a rate that does not divide a minute', () => {
    const budget = new RefetchBudget(7, clock);
    drain(budget);

    now += 60_000;
    expect(drain(budget)).toBe(7);
    now += 10 * 60_000;
    expect(drain(budget)).toBe(7);
  });

  it('refills nothing when the clock is set back, and counts on from the new time', () => {
    const budget = new RefetchBudget(1, clock);
    drain(budget);

    now -= 3_600_000;
    expect(budget.tryTake()).toBe(false);
    now += 60_000;
    expect(budget.tryTake()).toBe(true);
  });
});
