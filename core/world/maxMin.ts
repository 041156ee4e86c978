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
 * A min-heap of (share, key, resource) entries in preallocated typed arrays, with lazy deletion:
 * stale entries are skipped on pop. Holes are sifted and each entry written once.
 */
class ShareHeap {
  readonly share: Float64Array;
  readonly key: Float64Array;
  readonly res: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.share = new Float64Array(capacity);
    this.key = new Float64Array(capacity);
    this.res = new Int32Array(capacity);
  }
  push(share: number, key: number, res: number): void {
    const S = this.share;
    const K = this.key;
    const X = this.res;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const sp = S[p];
      if (sp < share || (sp === share && K[p] < key)) break;
      S[i] = sp;
      K[i] = K[p];
      X[i] = X[p];
      i = p;
    }
    S[i] = share;
    K[i] = key;
    X[i] = res;
  }
  /** Removes the top; the caller reads share[0]/res[0] before. */
  pop(): void {
    const S = this.share;
    const K = this.key;
    const X = this.res;
    const n = --this.size;
    if (n === 0) return;
    const share = S[n];
    const key = K[n];
    const res = X[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (S[r] < S[c] || (S[r] === S[c] && K[r] < K[c]))) c = r;
      if (share < S[c] || (share === S[c] && key < K[c])) break;
      S[i] = S[c];
      K[i] = K[c];
      X[i] = X[c];
      i = c;
    }
    S[i] = share;
    K[i] = key;
    X[i] = res;
  }
}

/** Max-min fair rate of every flow of `p`, written into `rates` (one per flow). */
export function progressiveFilling(p: SharingProblem, rates: Float64Array): void {
  const R = p.capacity.length;
  const left = new Float64Array(R);
  const unfixed = new Int32Array(R);
  const fixed = new Uint8Array(rates.length);
  const heap = new ShareHeap(R + rates.length); // one entry per resource, then one per fixed flow
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
