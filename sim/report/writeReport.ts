// `gsim report`: tables (CSV + Arrow), percentile bands across seeds, charts (SVG + PNG) and a
// self-contained index.html for a run or a sweep directory. Notebooks call the same pieces.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { ConfigError } from "../../core/errors.ts";
import { join, resolve } from "node:path";
import { finalsSpec, renderChart, trajectorySpec, type SeriesKey, type VegaLiteSpec } from "./charts.ts";
import { htmlPage, type PageChart } from "./htmlPage.ts";
import { summaryPercentiles, trajectoryPercentiles, type SummaryRow } from "./percentiles.ts";
import { comboLabel, numericLeaves, readResults, shortName, type ResultSet } from "./readResults.ts";
import { tableOf, writeTable, type Row } from "./tables.ts";

export interface ReportOptions {
  /** Metric names to chart over time (default: every metric, at most 16). */
  metrics?: string[];
  /** Summary paths to chart as final values (default: workload values that vary, at most 8). */
  finals?: string[];
}

export interface ReportResult {
  index: string;
  charts: number;
  tables: string[];
}

const MAX_TRAJECTORY_CHARTS = 16;
const MAX_FINALS_CHARTS = 8;

/** Most seeds of any combination. */
export function seedsPerCombo(rs: ResultSet): number {
  const n = new Map<number, number>();
  for (const p of rs.points) n.set(p.combo, (n.get(p.combo) ?? 0) + 1);
  return Math.max(0, ...n.values());
}

/** One row per point: id, combo, seed, the sweep params, and every numeric summary value. */
export function pointRows(rs: ResultSet): Row[] {
  return rs.points.map((p) => ({ id: p.id, combo: p.combo, seed: p.seed, ...p.params, ...numericLeaves(p.summary) }));
}

export class ChartWriter {
  readonly charts: PageChart[] = [];
  constructor(private readonly outDir: string) {
    mkdirSync(join(outDir, "charts"), { recursive: true });
  }
  async add(id: string, title: string, spec: VegaLiteSpec): Promise<void> {
    const safe = id.replace(/[^A-Za-z0-9._-]+/g, "_");
    const { svg, png } = await renderChart(spec);
    writeFileSync(join(this.outDir, "charts", `${safe}.svg`), svg);
    writeFileSync(join(this.outDir, "charts", `${safe}.png`), png);
    this.charts.push({ id: safe, title, svg, svgFile: `charts/${safe}.svg`, png: `charts/${safe}.png` });
  }
}

export async function writeReport(dir: string, outDir: string, o: ReportOptions = {}): Promise<ReportResult> {
  const rs = readResults(dir);
  const out = resolve(outDir);
  // Everything the options name is checked before anything is written (no half-written report).
  const summary = summaryPercentiles(rs);
  const traj = trajectoryPercentiles(rs, o.metrics);
  const knownMetrics = [...new Set(traj.map((r) => r.metric))].sort();
  checkNames("--metrics", o.metrics, knownMetrics, () => [...new Set(trajectoryPercentiles(rs).map((r) => r.metric))].sort(), `${dir} (metrics.csv)`);
  checkNames("--finals", o.finals, [...new Set(summary.map((r) => r.metric))].sort(), () => [...new Set(summary.map((r) => r.metric))].sort(), `${dir} (summary.json)`);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new ConfigError(`--out ${outDir}: exists and is not a directory; refusing to replace it`);
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes("index.html")) throw new ConfigError(`--out ${outDir}: exists and is not a report directory (no index.html); refusing to replace it`);
  }
  // Written aside and renamed into place at the end: a report that fails half-way leaves nothing.
  const final = out;
  const work = `${final}.partial-${process.pid}`;
  try {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(work, "tables"), { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`--out ${outDir}: cannot create the report directory (${e.code ?? e.message})`, { cause: err });
  }
  try {
    const r = await writeInto(work, rs, summary, traj, knownMetrics, o);
    rmSync(final, { recursive: true, force: true });
    renameSync(work, final);
    return { ...r, index: join(final, "index.html") };
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

async function writeInto(out: string, rs: ResultSet, summary: SummaryRow[], traj: ReturnType<typeof trajectoryPercentiles>, knownMetrics: string[], o: ReportOptions): Promise<ReportResult> {
  const seeds = seedsPerCombo(rs);
  const tables: { name: string; csv: string; arrow: string; rows: number }[] = [];
  const addTable = (name: string, rows: Row[]) => {
    const [csv, arrow] = writeTable(join(out, "tables"), name, tableOf(rows));
    tables.push({ name, csv: `tables/${csv}`, arrow: `tables/${arrow}`, rows: rows.length });
  };

  addTable("points", pointRows(rs));
  addTable("summary_percentiles", summary.map((r) => ({ combo: r.combo, label: r.label, metric: r.metric, p05: r.p05, p50: r.p50, p95: r.p95, mean: r.mean, n: r.n })));
  addTable("trajectories", traj.map((r) => ({ combo: r.combo, label: r.label, metric: r.metric, t: r.t, p05: r.p05, p50: r.p50, p95: r.p95, mean: r.mean, n: r.n })));

  const charts = new ChartWriter(out);
  const split = panelSplit(rs);
  const metricNames = o.metrics ?? knownMetrics.slice(0, MAX_TRAJECTORY_CHARTS);
  for (const m of metricNames) {
    const rows = traj.filter((r) => r.metric === m);
    if (rows.length > 0) await charts.add(`trajectory-${m}`, `${m} over time`, trajectorySpec(m, rows, seeds, split));
  }
  const finalsNames = o.finals ?? defaultFinals(summary);
  const finals: SummaryRow[] = [];
  for (const m of finalsNames) {
    const rows = summary.filter((r) => r.metric === m);
    if (rows.length === 0) continue;
    finals.push(...rows);
    await charts.add(`final-${m}`, `${m} at the end of the run`, finalsSpec(m, rows, seeds));
  }
  const index = join(out, "index.html");
  writeFileSync(index, htmlPage({ rs, seeds, charts: charts.charts, finals, tables }));
  return { index, charts: charts.charts.length, tables: tables.map((t) => t.name) };
}

/** A name given in --metrics / --finals that the results do not hold is bad input (exit 2), not an empty chart. */
function checkNames(flag: string, asked: readonly string[] | undefined, present: readonly string[], all: () => string[], where: string): void {
  const missing = (asked ?? []).filter((m) => !present.includes(m));
  if (missing.length === 0) return;
  const known = all();
  const shown = known.length > 12 ? `${known.slice(0, 12).join(", ")}, ... (${known.length} in all)` : known.join(", ");
  throw new ConfigError(`${flag}: ${where} has no value named ${missing.map((m) => JSON.stringify(m)).join(", ")}; known: ${shown || "(none)"}`);
}

/** Many combinations: one panel per value of the first sweep parameter, series by the rest. */
export function panelSplit(rs: ResultSet, maxSeries = 6): Map<number, SeriesKey> | undefined {
  if (rs.combos.length <= maxSeries || rs.paramPaths.length < 2) return undefined;
  const [first, ...rest] = rs.paramPaths;
  const m = new Map<number, SeriesKey>();
  for (const c of rs.combos) {
    const restParams: Record<string, unknown> = {};
    for (const k of rest) restParams[k] = c.params[k];
    m.set(c.combo, { facet: `${shortName(first)}=${c.params[first]}`, series: comboLabel(restParams) });
  }
  return m;
}

/** Workload summary values that differ between points (the interesting ones), at most 8. */
function defaultFinals(summary: readonly SummaryRow[]): string[] {
  const byMetric = new Map<string, number[]>();
  for (const r of summary) {
    if (!r.metric.startsWith("workload.")) continue;
    let l = byMetric.get(r.metric);
    if (!l) byMetric.set(r.metric, (l = []));
    l.push(r.p05, r.p50, r.p95);
  }
  return [...byMetric.entries()]
    .filter(([, v]) => Math.max(...v) > Math.min(...v))
    .map(([k]) => k)
    .sort()
    .slice(0, MAX_FINALS_CHARTS);
}
