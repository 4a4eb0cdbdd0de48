import { describe, expect, it } from "vitest";
import { AttemptLimiter } from "./rate-limit";

describe("AttemptLimiter", () => {
  it("allows `limit` failures per window, then refuses until the window passes", () => {
    let now = 0;
    const limiter = new AttemptLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.allowed("k")).toBe(true);
      limiter.fail("k");
    }
    expect(limiter.allowed("k")).toBe(false);
    expect(limiter.allowed("other")).toBe(true);
    now = 999;
    expect(limiter.allowed("k")).toBe(false);
    now = 1000;
    expect(limiter.allowed("k")).toBe(true);
  });

  it("forgets a key on reset", () => {
    const limiter = new AttemptLimiter(1, 1000, () => 0);
    limiter.fail("k");
    expect(limiter.allowed("k")).toBe(false);
    limiter.reset("k");
    expect(limiter.allowed("k")).toBe(true);
  });
});
