// An independent float64 max-min solver and the definition of max-min fairness, for tests of
// core/world/maxMin.ts and the network (not used by the simulation).

/** A flow as the two resources it crosses. */
export type Pair = readonly [number, number];

/**
 * Independent water-filling: raise every unfrozen flow to the level t where the first resource
 * fills (recomputing each resource's load from scratch), freeze the flows of every resource
 * full at t, repeat. No heap, no incremental bookkeeping.
 */
export function referenceMaxMin(capacity: readonly number[], flows: readonly Pair[]): number[] {
  const rate: (number | null)[] = flows.map(() => null);
  for (;;) {
    let t = Infinity;
    const share: number[] = capacity.map((cap, r) => {
      let used = 0;
      let n = 0;
      flows.forEach(([a, b], f) => {
        if (a !== r && b !== r) return;
        if (rate[f] === null) n++;
        else used += rate[f]!;
      });
      return n === 0 ? Infinity : (cap - used) / n;
    });
    for (const s of share) t = Math.min(t, s);
    if (t === Infinity) return rate as number[];
    flows.forEach(([a, b], f) => {
      if (rate[f] === null && (share[a] <= t * (1 + 1e-12) || share[b] <= t * (1 + 1e-12))) rate[f] = t;
    });
  }
}

/** Max-min fairness by its definition: feasible, and every flow has a bottleneck. */
export function isMaxMinFair(capacity: readonly number[], flows: readonly Pair[], rate: readonly number[]): boolean {
  const load = capacity.map(() => 0);
  const top = capacity.map(() => 0);
  flows.forEach(([a, b], f) => {
    for (const r of [a, b]) {
      load[r] += rate[f];
      top[r] = Math.max(top[r], rate[f]);
    }
  });
  if (load.some((l, r) => l > capacity[r] * (1 + 1e-9))) return false;
  return flows.every(([a, b], f) => [a, b].some((r) => load[r] >= capacity[r] * (1 - 1e-9) && rate[f] >= top[r] * (1 - 1e-9)));
}
