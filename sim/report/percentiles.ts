// P05 / P50 / P95 across seeds (simple-statistics), for final summary values and for metric
// trajectories (per combination, metric and time).
import { mean, quantileSorted } from "simple-statistics";
import { numericLeaves, readMetricsCsv, type ResultSet } from "./readResults.ts";
import { join } from "node:path";

export interface Band {
  p05: number;
  p50: number;
  p95: number;
  mean: number;
  n: number;
}

export function band(values: readonly number[]): Band {
  const s = [...values].sort((a, b) => a - b);
  return { p05: quantileSorted(s, 0.05), p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95), mean: mean(s), n: s.length };
}

/** Summary keys not worth a percentile (bookkeeping of the run itself). */
const SKIP = new Set(["seed", "simulatedUs", "eventsProcessed", "traceLines", "metricRows"]);

export interface SummaryRow extends Band {
  combo: number;
  label: string;
  metric: string;
}

/** Per combination and numeric summary path: the band across its seeds. Sorted by combo, metric. */
export function summaryPercentiles(rs: ResultSet): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const c of rs.combos) {
    const pts = rs.points.filter((p) => p.combo === c.combo);
    const leaves = pts.map((p) => numericLeaves(p.summary));
    const metrics = [...new Set(leaves.flatMap((l) => Object.keys(l)))].filter((m) => !SKIP.has(m)).sort();
    for (const metric of metrics) {
      const vals = leaves.map((l) => l[metric]).filter((v) => v !== undefined);
      if (vals.length > 0) rows.push({ combo: c.combo, label: c.label, metric, ...band(vals) });
    }
  }
  return rows;
}

export interface TrajectoryRow extends Band {
  combo: number;
  label: string;
  metric: string;
  /** Virtual time in microseconds. */
  t: number;
}

/** Per combination, metric (name plus labels) and time: the band across seeds. */
export function trajectoryPercentiles(rs: ResultSet, only?: readonly string[]): TrajectoryRow[] {
  const groups = new Map<string, { combo: number; metric: string; t: number; values: number[] }>();
  for (const p of rs.points) {
    const m = readMetricsCsv(join(p.dir, "metrics.csv"));
    for (let i = 0; i < m.t.length; i++) {
      const metric = m.labels[i] ? `${m.name[i]}{${m.labels[i]}}` : m.name[i];
      if (only && !only.includes(metric) && !only.includes(m.name[i])) continue;
      const key = `${p.combo}\u0000${metric}\u0000${m.t[i]}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { combo: p.combo, metric, t: m.t[i], values: [] }));
      g.values.push(m.value[i]);
    }
  }
  const label = new Map(rs.combos.map((c) => [c.combo, c.label]));
  const rows: TrajectoryRow[] = [...groups.values()].map((g) => ({ combo: g.combo, label: label.get(g.combo) ?? "", metric: g.metric, t: g.t, ...band(g.values) }));
  rows.sort((a, b) => a.combo - b.combo || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) || a.t - b.t);
  return rows;
}
