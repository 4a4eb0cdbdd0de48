import { describe, expect, it } from "vitest";
import { checkWindow, countAttempt, liveCounter, slowDownMs, type Counter } from "./attempt-window";

const rule = { limit: 3, windowMs: 60_000 };

describe("attempt windows", () => {
  it("allows up to the limit in a window, then refuses until the window ends", () => {
    let c: Counter | undefined;
    for (let i = 0; i < 3; i += 1) {
      expect(checkWindow(c, rule, 1_000 + i)).toEqual({ allowed: true });
      c = countAttempt(c, rule, 1_000 + i);
    }
    expect(c).toEqual({ windowStart: 1_000, count: 3 });
    expect(checkWindow(c, rule, 31_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(checkWindow(c, rule, 61_000)).toEqual({ allowed: true });
  });

  it("starts a new window after the old one ends", () => {
    const old = { windowStart: 0, count: 9 };
    expect(liveCounter(old, rule, 60_000)).toBeUndefined();
    expect(countAttempt(old, rule, 60_000)).toEqual({ windowStart: 60_000, count: 1 });
  });

  it("does not trust a window that starts in the future (clock moved back)", () => {
    expect(liveCounter({ windowStart: 10_000, count: 9 }, rule, 5_000)).toBeUndefined();
  });

  it("slows progressively past the free failures, capped, and never refuses", () => {
    const slow = { limit: 10, windowMs: 900_000, baseMs: 250, maxMs: 8_000 };
    expect(slowDownMs(undefined, slow, 0)).toBe(0);
    expect(slowDownMs({ windowStart: 0, count: 9 }, slow, 1)).toBe(0);
    expect(slowDownMs({ windowStart: 0, count: 10 }, slow, 1)).toBe(250);
    expect(slowDownMs({ windowStart: 0, count: 12 }, slow, 1)).toBe(1_000);
    expect(slowDownMs({ windowStart: 0, count: 500 }, slow, 1)).toBe(8_000);
    expect(slowDownMs({ windowStart: 0, count: 500 }, slow, 900_000)).toBe(0);
  });
});
