// Max-min fair rates by progressive filling (the allocation SimGrid's flow model computes; DESIGN:
// World): every flow crosses two resources, its sender's uplink and its receiver's downlink. All
// rates rise together; the resource whose fair share (remaining capacity / unfixed flows) is
// smallest saturates first and fixes its unfixed flows at that share; repeat. The result depends
// only on the flows and capacities: ties go to the lower resource key, and the flows fixed at one
// resource all subtract the same value from their other resource, so list order cannot change a bit.

/** A component of flows to share out: local resources 0..R-1 and, per flow, its two resources. */
export interface SharingProblem {
  /** Capacity of each local resource (bytes/us). */
  capacity: ArrayLike<number>;
  /** Global key of each local resource, unique, for deterministic tie-breaking. */
  key: ArrayLike<number>;
  /** The two resources each flow crosses (local indices). */
  flowA: ArrayLike<number>;
  flowB: ArrayLike<number>;
  /** The flows crossing resource r are at[atStart[r] .. atStart[r+1]) (each flow at both its resources). */
  atStart: ArrayLike<number>;
  at: ArrayLike<number>;
}

/**
 * An indexed min-heap of the resources by (share, key): pos[r] is r's slot. A resource's share
 * only rises while filling (the flows fixed at it leave at the lowest share there is), up to
 * rounding; a resource with no unfixed flow left rises to +Infinity and stays below.
 */
class ResourceHeap {
  private readonly share: Float64Array;
  private readonly key: ArrayLike<number>;
  private readonly heap: Int32Array;
  private readonly pos: Int32Array;
  size = 0;

  constructor(share: Float64Array, key: ArrayLike<number>) {
    this.share = share;
    this.key = key;
    this.heap = new Int32Array(share.length);
    this.pos = new Int32Array(share.length);
  }
  private less(a: number, b: number): boolean {
    const sa = this.share[a];
    const sb = this.share[b];
    return sa < sb || (sa === sb && this.key[a] < this.key[b]);
  }
  /** Adds every resource, then heapifies (Floyd). */
  build(n: number): void {
    for (let i = 0; i < n; i++) {
      this.heap[i] = i;
      this.pos[i] = i;
    }
    this.size = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }
  top(): number {
    return this.heap[0];
  }
  /**
   * r's share changed: restore the order. It rises in exact arithmetic, but (left - s) / (u - 1)
   * can round one ulp below left / u when s equalled it, so it may also need to move up.
   */
  raised(r: number): void {
    this.up(this.pos[r]);
    this.down(this.pos[r]);
  }
  private up(i: number): void {
    const H = this.heap;
    const P = this.pos;
    const x = H[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(x, H[p])) break;
      H[i] = H[p];
      P[H[i]] = i;
      i = p;
    }
    H[i] = x;
    P[x] = i;
  }
  private down(i: number): void {
    const H = this.heap;
    const P = this.pos;
    const n = this.size;
    const x = H[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(H[c + 1], H[c])) c++;
      if (!this.less(H[c], x)) break;
      H[i] = H[c];
      P[H[i]] = i;
      i = c;
    }
    H[i] = x;
    P[x] = i;
  }
}

/** Max-min fair rate of every flow of `p`, written into `rates` (one per flow). */
export function progressiveFilling(p: SharingProblem, rates: Float64Array): void {
  const R = p.capacity.length;
  const left = new Float64Array(R);
  const unfixed = new Int32Array(R);
  const share = new Float64Array(R);
  const fixed = new Uint8Array(rates.length);
  for (let r = 0; r < R; r++) {
    left[r] = p.capacity[r];
    unfixed[r] = p.atStart[r + 1] - p.atStart[r];
    share[r] = unfixed[r] > 0 ? left[r] / unfixed[r] : Infinity;
  }
  const heap = new ResourceHeap(share, p.key);
  heap.build(R);
  for (;;) {
    const r = heap.top();
    const s = share[r];
    if (s === Infinity) break;
    for (let i = p.atStart[r], end = p.atStart[r + 1]; i < end; i++) {
      const f = p.at[i];
      if (fixed[f] === 1) continue;
      fixed[f] = 1;
      rates[f] = s;
      const o = p.flowA[f] === r ? p.flowB[f] : p.flowA[f];
      unfixed[o]--;
      left[o] -= s;
      share[o] = unfixed[o] > 0 ? left[o] / unfixed[o] : Infinity;
      heap.raised(o);
    }
    unfixed[r] = 0;
    left[r] = 0;
    share[r] = Infinity;
    heap.raised(r);
  }
}
