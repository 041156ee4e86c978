// A fixed-size log-linear histogram of non-negative integers (e.g. delays in microseconds):
// values below 16 are exact, above that 16 buckets per power of two (< 6.25% relative error).
// Integer bit operations only, so quantiles are identical on every engine; memory is constant.

const SUB = 16;
const BUCKETS = SUB + 28 * SUB; // up to 2^32

function bucketOf(x: number): number {
  if (x < SUB) return x;
  if (x >= 4294967295) return BUCKETS - 1;
  const e = 31 - Math.clz32(x);
  const m = (x >>> (e - 4)) & (SUB - 1);
  return SUB + (e - 4) * SUB + m;
}

/** The midpoint of a bucket's range, rounded down. */
function valueOf(b: number): number {
  if (b < SUB) return b;
  const e = ((b - SUB) >> 4) + 4;
  const m = (b - SUB) & (SUB - 1);
  const width = 1 << (e - 4);
  const lo = (SUB + m) * width;
  return lo + Math.floor((width - 1) / 2);
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    const v = x < 0 ? 0 : Math.floor(x);
    this.counts[bucketOf(v)]++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Merge another histogram into this one. */
  merge(o: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += o.counts[i];
    this.count += o.count;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  /** The q-quantile (0..1) as a bucket midpoint clamped to [min, max]; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, valueOf(i)));
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }
}
