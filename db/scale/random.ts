/**
 * A small seeded random source for the scale generator: the same seed gives the same database,
 * so a benchmark can be re-run on identical data. sfc32 (Chris Doty-Humphrey's Small Fast Chaotic
 * generator): 32-bit state words, fast in JavaScript, good enough statistically for test data.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Spread the seed over the state with splitmix32, then discard the first outputs as sfc32 advises.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 15; i += 1) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      const x = items[i];
      const y = items[j];
      if (x === undefined || y === undefined) continue;
      items[i] = y;
      items[j] = x;
    }
    return items;
  }

  /** A new independent source derived from this one (so adding draws in one part of the model does not shift another). */
  fork(salt: number): Random {
    return new Random((this.uint32() ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  }
}

/**
 * Draws an index with probability proportional to its weight: a cumulative table and a binary
 * search, O(log n) per draw — fine for the 125,336 procedures of the national catalog.
 */
export class WeightedIndex {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i += 1) {
      const w = weights[i] ?? 0;
      if (!(w >= 0)) throw new RangeError(`weight ${i} is ${w}`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (sum <= 0) throw new RangeError("all weights are zero");
    this.total = sum;
  }

  draw(random: Random): number {
    const target = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Zipf-like weights 1 / (rank + offset)^s for ranks 0…n−1: a few items get most of the draws. */
export function zipfWeights(n: number, exponent: number, offset = 1): Float64Array {
  const weights = new Float64Array(n);
  for (let r = 0; r < n; r += 1) weights[r] = 1 / (r + offset) ** exponent;
  return weights;
}
