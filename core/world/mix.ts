// Mixes ({h100: 0.1, rtx3060: 0.9}) turned into exact per-node assignments.
import type { Rng } from "../des/index.ts";
import { ConfigError } from "../errors.ts";

/** Weights by name; they need not sum to 1 (they are normalised). */
export type Mix<K extends string = string> = Partial<Record<K, number>>;

/**
 * Exact counts for `total` items by largest remainder (Hamilton), names in sorted order and
 * ties broken by name, so {a: 0.5, b: 0.5} of 3 is always a=2, b=1.
 */
export function apportion<K extends string>(mix: Mix<K>, total: number): [K, number][] {
  const names = (Object.keys(mix) as K[]).sort();
  let sum = 0;
  for (const k of names) {
    const w = mix[k]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new ConfigError(`mix weight for '${k}' must be a finite number >= 0, got ${w}`);
    sum += w;
  }
  if (!(sum > 0)) throw new ConfigError(`mix ${JSON.stringify(mix)} needs at least one positive weight`);
  const rows = names.map((k, i) => {
    const exact = (mix[k]! / sum) * total;
    const base = Math.floor(exact);
    return { k, i, base, rem: exact - base };
  });
  let left = total - rows.reduce((a, r) => a + r.base, 0);
  const order = [...rows].sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const r of order) {
    if (left <= 0) break;
    r.base++;
    left--;
  }
  return rows.map((r) => [r.k, r.base]);
}

/** `total` values drawn without replacement from the apportioned mix, in a seeded random order. */
export function assignMix<K extends string>(mix: Mix<K>, total: number, rng: Rng): K[] {
  const out: K[] = [];
  for (const [k, n] of apportion(mix, total)) for (let i = 0; i < n; i++) out.push(k);
  return rng.shuffle(out);
}
