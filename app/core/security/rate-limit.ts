/**
 * A fixed-window attempt counter: at most `limit` failures per key per window.
 * In memory, per process — enough for one server; a multi-server deployment
 * would move the counts to the database (the interface stays).
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while the key may still try. */
  allowed(key: string): boolean {
    const w = this.current(key);
    return !w || w.count < this.limit;
  }

  fail(key: string): void {
    const w = this.current(key) ?? { start: this.now(), count: 0 };
    w.count += 1;
    this.windows.set(key, w);
    if (this.windows.size > 100_000) this.prune();
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string) {
    const w = this.windows.get(key);
    if (w && this.now() - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private prune() {
    for (const key of [...this.windows.keys()]) this.current(key);
  }
}
