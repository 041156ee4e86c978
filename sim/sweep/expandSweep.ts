// Sweep expansion (DESIGN: Runs, sweeps, reports): the scenario's `sweep:` grid (cartesian, first
// key slowest) times its zip rows (all lists equally long, never padded), times its `seeds:`.
// Point ids "p<combination>-s<seed>" are zero-padded so sorting the ids sorts the points.
import { ConfigError } from "../../core/errors.ts";

export type SweepValue = string | number | boolean | null;

export interface SweepSpec {
  grid?: Record<string, SweepValue[]>;
  zip?: Record<string, SweepValue[]>;
}

export interface SweepPoint {
  /** Stable id, e.g. "p003-s0012". */
  id: string;
  /** Index of the parameter combination (same for all seeds of it). */
  combo: number;
  seed: number;
  /** Scenario path -> value for this point, in the order the sweep names them. */
  params: Record<string, SweepValue>;
}

/** Most points one sweep may have. */
export const MAX_POINTS = 1_000_000;

/** Parameter combinations of a sweep spec (no seeds), in a defined order. */
export function expandCombinations(spec: SweepSpec | undefined, source: string): Record<string, SweepValue>[] {
  const grid = Object.entries(spec?.grid ?? {});
  const zip = Object.entries(spec?.zip ?? {});
  for (const [path] of [...grid, ...zip]) {
    if (grid.some(([p]) => p === path) && zip.some(([p]) => p === path)) {
      throw new ConfigError(`${source}: sweep: ${path} is in both grid and zip; name each path once`);
    }
  }
  let rows = 1;
  if (zip.length > 0) {
    rows = zip[0][1].length;
    const uneven = zip.filter(([, v]) => v.length !== rows);
    if (uneven.length > 0) {
      const lengths = zip.map(([p, v]) => `${p} has ${v.length}`).join(", ");
      throw new ConfigError(`${source}: sweep.zip: lists must have equal lengths (never padded): ${lengths}`);
    }
  }
  let count = rows;
  for (const [path, values] of grid) {
    if (values.length === 0) throw new ConfigError(`${source}: sweep.grid.${path}: expected at least one value`);
    count *= values.length;
    if (count > MAX_POINTS) throw new ConfigError(`${source}: sweep: expected at most ${MAX_POINTS} combinations, got more`);
  }
  const out: Record<string, SweepValue>[] = [];
  for (let c = 0; c < count; c++) {
    const params: Record<string, SweepValue> = {};
    let rest = c;
    // Grid: last key fastest; zip row fastest of all.
    const zipRow = rest % rows;
    rest = (rest - zipRow) / rows;
    const gridIdx: number[] = new Array(grid.length);
    for (let g = grid.length - 1; g >= 0; g--) {
      const n = grid[g][1].length;
      gridIdx[g] = rest % n;
      rest = (rest - gridIdx[g]) / n;
    }
    for (let g = 0; g < grid.length; g++) params[grid[g][0]] = grid[g][1][gridIdx[g]];
    for (const [path, values] of zip) params[path] = values[zipRow];
    out.push(params);
  }
  return out;
}

/** All points of a sweep: combinations x seeds, sorted by id. */
export function expandSweep(spec: SweepSpec | undefined, seeds: readonly number[], source: string): SweepPoint[] {
  if (seeds.length === 0) throw new ConfigError(`${source}: a sweep needs at least one seed (seeds: or seed:)`);
  const distinct = new Set(seeds);
  if (distinct.size !== seeds.length) throw new ConfigError(`${source}: seeds: expected distinct seeds, got duplicates`);
  const combos = expandCombinations(spec, source);
  if (combos.length * seeds.length > MAX_POINTS) {
    throw new ConfigError(`${source}: sweep: expected at most ${MAX_POINTS} points, got ${combos.length} x ${seeds.length} seeds`);
  }
  const cw = Math.max(3, String(combos.length - 1).length);
  const sw = Math.max(4, String(Math.max(...seeds)).length);
  const points: SweepPoint[] = [];
  for (let c = 0; c < combos.length; c++) {
    for (const seed of [...seeds].sort((a, b) => a - b)) {
      points.push({ id: `p${String(c).padStart(cw, "0")}-s${String(seed).padStart(sw, "0")}`, combo: c, seed, params: combos[c] });
    }
  }
  return points.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
