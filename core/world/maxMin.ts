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

/** A min-heap of (share, key, resource) with lazy deletion: stale entries are skipped on pop. */
class ShareHeap {
  share: number[] = [];
  key: number[] = [];
  res: number[] = [];

  get size(): number {
    return this.share.length;
  }
  private less(i: number, j: number): boolean {
    const a = this.share[i];
    const b = this.share[j];
    return a < b || (a === b && this.key[i] < this.key[j]);
  }
  private swap(i: number, j: number): void {
    let t = this.share[i];
    this.share[i] = this.share[j];
    this.share[j] = t;
    t = this.key[i];
    this.key[i] = this.key[j];
    this.key[j] = t;
    t = this.res[i];
    this.res[i] = this.res[j];
    this.res[j] = t;
  }
  push(share: number, key: number, res: number): void {
    let i = this.share.length;
    this.share.push(share);
    this.key.push(key);
    this.res.push(res);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  /** Removes the top; the caller reads share[0]/res[0] before. */
  pop(): void {
    const last = this.share.length - 1;
    this.swap(0, last);
    this.share.pop();
    this.key.pop();
    this.res.pop();
    const n = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(r, l) ? r : l;
      if (!this.less(c, i)) break;
      this.swap(c, i);
      i = c;
    }
  }
}

/** Max-min fair rate of every flow of `p`, written into `rates` (one per flow). */
export function progressiveFilling(p: SharingProblem, rates: Float64Array): void {
  const R = p.capacity.length;
  const left = new Float64Array(R);
  const unfixed = new Int32Array(R);
  const fixed = new Uint8Array(rates.length);
  const heap = new ShareHeap();
  for (let r = 0; r < R; r++) {
    left[r] = p.capacity[r];
    unfixed[r] = p.atStart[r + 1] - p.atStart[r];
    if (unfixed[r] > 0) heap.push(left[r] / unfixed[r], p.key[r], r);
  }
  while (heap.size > 0) {
    const r = heap.res[0];
    const s = heap.share[0];
    heap.pop();
    if (unfixed[r] === 0 || s !== left[r] / unfixed[r]) continue; // stale entry
    for (let i = p.atStart[r], end = p.atStart[r + 1]; i < end; i++) {
      const f = p.at[i];
      if (fixed[f] === 1) continue;
      fixed[f] = 1;
      rates[f] = s;
      const o = p.flowA[f] === r ? p.flowB[f] : p.flowA[f];
      unfixed[o]--;
      left[o] -= s;
      if (unfixed[o] > 0) heap.push(left[o] / unfixed[o], p.key[o], o);
    }
    unfixed[r] = 0;
    left[r] = 0;
  }
}
