// A small deterministic PRNG (sfc32 seeded through splitmix32) and the
// helpers the generator draws with. The same seed gives the same sequence on
// every platform and Node version: only 32-bit integer arithmetic is used.

function splitmix32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  /** @param {number} seed any integer; scenario `i` of a seed uses `new Rng(seed, i)` */
  constructor(seed, stream = 0) {
    const mix = splitmix32((seed * 0x10001 + stream * 0x3c6ef372) >>> 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  float() {
    return this.next() / 4294967296;
  }

  /** An integer in [lo, hi] (both inclusive). */
  int(lo, hi) {
    return lo + (this.next() % (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p) {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick(items) {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.next() % items.length];
  }

  /** One element of `[[weight, value], ...]`, by weight. */
  weighted(pairs) {
    const total = pairs.reduce((sum, [w]) => sum + w, 0);
    let x = this.float() * total;
    for (const [w, v] of pairs) {
      if (x < w) return v;
      x -= w;
    }
    return pairs[pairs.length - 1][1];
  }

  /** `n` distinct elements (fewer if the array is shorter), in random order. */
  sample(items, n) {
    const copy = [...items];
    const out = [];
    while (out.length < n && copy.length > 0) {
      out.push(copy.splice(this.next() % copy.length, 1)[0]);
    }
    return out;
  }
}
