/**
 * Attempt limits as pure functions over a stored counter, so the counts can live in the database
 * (app/server/auth/attempt-limits.server.ts) and hold across restarts and processes. Fixed windows: a
 * counter counts failures from `windowStart` for `windowMs`, then starts again from zero.
 */

/** At most `limit` counted attempts per key in `windowMs`. */
export type WindowRule = { limit: number; windowMs: number };

/** What is stored per key. */
export type Counter = { windowStart: number; count: number };

/** The counter as it stands at `now`: undefined once its window is over. */
export function liveCounter(counter: Counter | undefined, rule: WindowRule, now: number): Counter | undefined {
  if (!counter) return undefined;
  return now - counter.windowStart >= rule.windowMs || now < counter.windowStart ? undefined : counter;
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Whether one more attempt may be made; when not, how long until the window ends. */
export function checkWindow(counter: Counter | undefined, rule: WindowRule, now: number): Verdict {
  const live = liveCounter(counter, rule, now);
  if (!live || live.count < rule.limit) return { allowed: true };
  return { allowed: false, retryAfterMs: Math.max(0, live.windowStart + rule.windowMs - now) };
}

/** The counter after one more counted attempt at `now`. */
export function countAttempt(counter: Counter | undefined, rule: WindowRule, now: number): Counter {
  const live = liveCounter(counter, rule, now);
  return live ? { windowStart: live.windowStart, count: live.count + 1 } : { windowStart: now, count: 1 };
}

/**
 * A ceiling that slows instead of locking: the first `free` failures cost nothing, each one after
 * doubles the wait from `baseMs`, up to `maxMs`. Used per account and per receipt code, so a
 * stranger failing from many addresses makes the owner wait a little, never shuts them out.
 */
export type SlowRule = WindowRule & { baseMs: number; maxMs: number };

export function slowDownMs(counter: Counter | undefined, rule: SlowRule, now: number): number {
  const live = liveCounter(counter, rule, now);
  if (!live || live.count < rule.limit) return 0;
  const over = live.count - rule.limit;
  return Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(over, 30));
}
