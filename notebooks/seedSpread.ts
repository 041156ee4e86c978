// Notebook driver: how much does a scenario's finding move across seeds? A question declares its
// scenario(s), the summary values it reports (expressions in the `checks:` syntax, e.g.
// "workload.diloco.heldOutLoss / workload.ddp.heldOutLoss") and how to word the answer; the driver
// runs each scenario over N seeds through the sweep machinery (resumable, under runs/), takes
// P05 / P50 / P95 across seeds (sim/report) and writes answer.md, spread.csv/.arrow (the bands),
// seeds.csv/.arrow (every seed's value), a strip chart and index.html.
//   bun notebooks/<question>.ts [--seeds 16] [--out reports/examples/<slug>] [--runs runs/<slug>]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../core/errors.ts";
import { escapeHtml } from "../sim/report/htmlPage.ts";
import { band, type Band } from "../sim/report/percentiles.ts";
import { readResults } from "../sim/report/readResults.ts";
import { ChartWriter } from "../sim/report/writeReport.ts";
import { tableOf, writeTable } from "../sim/report/tables.ts";
import type { VegaLiteSpec } from "../sim/report/charts.ts";
import { CheckPathError, evaluate, parseCheck, type Expr } from "../sim/scenario/checkExpression.ts";
import { runSweep } from "../sim/sweep/runSweep.ts";

const ROOT = resolve(import.meta.dir, "..");

/** One scenario swept over seeds, and the values read from each seed's summary. */
export interface SpreadSweep {
  /** Scenario file, relative to the repository root (or absolute). */
  scenario: string;
  /** `--set` overrides for every seed (e.g. a smaller size); the answer lists them. */
  sets?: string[];
  /** Reported name -> expression over summary.json paths, in the `checks:` syntax. */
  metrics: Record<string, string>;
}

export interface SpreadQuestion {
  /** Report folder name: reports/examples/<slug>. */
  slug: string;
  /** The question, as the README asks it. */
  question: string;
  sweeps: SpreadSweep[];
  /** Seeds swept (default 16 from 1). */
  seeds?: number;
  /** The finding in words (markdown), quoting the spread: called once every seed has run. */
  answer: (s: Spread) => string;
}

/** A seed's value of a metric; null where its summary has no number there (e.g. a target never reached). */
export interface SeedValue {
  seed: number;
  value: number | null;
}

/** Every seed's value of every reported metric, with percentile quotes for the answer. */
export class Spread {
  constructor(readonly values: ReadonlyMap<string, readonly SeedValue[]>) {}

  /** Every seed's value, null where it has none. */
  all(name: string): (number | null)[] {
    const v = this.values.get(name);
    if (!v) throw new ConfigError(`no metric named ${JSON.stringify(name)}; declared: ${[...this.values.keys()].join(", ")}`);
    return v.map((x) => x.value);
  }
  /** The seeds' values that exist. */
  of(name: string): number[] {
    return this.all(name).filter((v): v is number => v !== null);
  }
  band(name: string): Band {
    return band(this.of(name));
  }
  /** "0.706 (P05-P95 0.690-0.720)", or with a unit "23.3x (P05-P95 22.6x-24.0x)"; `digits` significant. */
  quote(name: string, unit = "", digits = 3): string {
    const b = this.band(name);
    const f = (x: number) => `${sig(x, digits)}${unit}`;
    return `${f(b.p50)} (P05-P95 ${f(b.p05)} to ${f(b.p95)})`;
  }
  /** A ratio quoted as a change: "+1.4% (P05-P95 -0.5% to +3.1%)". */
  change(name: string, digits = 1): string {
    const b = this.band(name);
    const p = (x: number) => `${x >= 1 ? "+" : ""}${((x - 1) * 100).toFixed(digits)}%`;
    return `${p(b.p50)} (P05-P95 ${p(b.p05)} to ${p(b.p95)})`;
  }
  /** "15/16 seeds": on how many seeds the value satisfies `holds`. */
  seedsWhere(name: string, holds: (v: number) => boolean): string {
    const v = this.all(name);
    return `${v.filter((x) => x !== null && holds(x)).length}/${v.length} seeds`;
  }
}

/** A number to `digits` significant digits, without exponent for everyday magnitudes. */
export function sig(x: number, digits = 3): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 10 ** digits && Math.abs(x) < 1e12) return Math.round(x).toLocaleString("en-US");
  return String(Number(x.toPrecision(digits)));
}

/** A metric expression parsed with the `checks:` grammar (compared with 0 only to reuse its parser). */
function parseMetric(name: string, src: string): Expr {
  try {
    return parseCheck(`${src} == 0`).left;
  } catch (err) {
    throw new ConfigError(`metric ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** A metric's value in one summary; null where a path holds no number in this seed only. */
function valueOf(name: string, expr: Expr, summary: unknown): number | null {
  try {
    const v = evaluate(expr, summary);
    return Number.isFinite(v) ? v : null;
  } catch (err) {
    if (err instanceof CheckPathError) return null;
    throw new ConfigError(`metric ${name}: ${(err as Error).message}`, { cause: err });
  }
}

export interface SpreadOptions {
  /** Report folder (default reports/examples/<slug>). */
  out?: string;
  /** Where the sweeps run, resumable (default runs/<slug>). */
  runs?: string;
  seeds?: number;
  workers?: number;
  quiet?: boolean;
  /** The command that reproduces the report, printed in answer.md. */
  command?: string;
}

export interface SpreadReport {
  spread: Spread;
  answer: string;
  out: string;
}

export async function runSpread(q: SpreadQuestion, o: SpreadOptions = {}): Promise<SpreadReport> {
  const seeds = o.seeds ?? q.seeds ?? 16;
  if (!Number.isSafeInteger(seeds) || seeds < 2) throw new ConfigError(`--seeds: expected an integer >= 2 (a spread needs seeds), got ${seeds}`);
  const out = resolve(o.out ?? join(ROOT, "reports", "examples", q.slug));
  const runs = resolve(o.runs ?? join(ROOT, "runs", q.slug));
  const values = new Map<string, SeedValue[]>();
  const rows: { scenario: string; seed: number; metric: string; value: number | null }[] = [];
  for (const sw of q.sweeps) {
    const file = resolve(ROOT, sw.scenario);
    const exprs = Object.entries(sw.metrics).map(([name, src]) => [name, parseMetric(name, src)] as const);
    // One sweep directory per (scenario, overrides, seed count): a different plan never meets an old
    // one. The scenario's checks are left out of the plan, so editing them re-runs nothing.
    const setsTag = (sw.sets ?? []).map((t) => `-${t.replace(/^.*\.(?=[^.]*=)/, "").replace(/[^\w]+/g, "-")}`).join("");
    const dir = join(runs, `${basename(file).replace(/\.(ya?ml|json)$/, "")}${setsTag}-s1-${seeds}`);
    const r = await runSweep(file, { out: dir, sets: [...(sw.sets ?? []), `seeds={from: 1, count: ${seeds}}`, "checks=[]"], workers: o.workers ?? 2, resume: existsSync(join(dir, "sweep.json")), quiet: o.quiet ?? true });
    if (r.failed.length > 0) throw new ConfigError(`${sw.scenario}: ${r.failed.length} seeds failed (first: ${r.failed[0].id}: ${r.failed[0].message}); resume with the same command`);
    const rs = readResults(dir);
    for (const [name, expr] of exprs) {
      if (values.has(name)) throw new ConfigError(`metric ${name}: declared twice`);
      const list = rs.points.map((p) => ({ seed: p.seed, value: valueOf(name, expr, p.summary) }));
      if (list.every((v) => v.value === null)) evaluate(expr, rs.points[0].summary); // no seed has it: a wrong path, said as the check grammar says it
      values.set(name, list);
      for (const v of list) rows.push({ scenario: sw.scenario, seed: v.seed, metric: name, value: v.value });
    }
  }
  const spread = new Spread(values);
  const finding = q.answer(spread).trim();
  mkdirSync(out, { recursive: true });
  const defs = new Map(q.sweeps.flatMap((sw) => Object.entries(sw.metrics).map(([n, e]) => [n, { scenario: sw.scenario, expr: e }] as const)));
  const bands = [...values.keys()].map((metric) => {
    const b = spread.band(metric);
    const v = spread.of(metric);
    return { metric, p05: b.p05, p50: b.p50, p95: b.p95, mean: b.mean, min: Math.min(...v), max: Math.max(...v), n: b.n, scenario: defs.get(metric)!.scenario, expression: defs.get(metric)!.expr };
  });
  writeTable(out, "spread", tableOf(bands));
  writeTable(out, "seeds", tableOf(rows));

  const command = o.command ?? `node_modules/.bin/bun ${relative(ROOT, process.argv[1] ?? "notebooks/<question>.ts")}${o.seeds !== undefined ? ` --seeds ${seeds}` : ""}`;
  const setup = q.sweeps.map((sw) => `\`${sw.scenario}\`${sw.sets?.length ? ` with ${sw.sets.map((s) => `\`--set ${s}\``).join(" ")}` : ""}`).join("; ");
  const table = ["| metric | P50 | P05 - P95 | min - max | seeds with a value | definition |", "| --- | ---: | ---: | ---: | ---: | --- |",
    ...bands.map((b) => `| ${b.metric} | ${sig(b.p50, 4)} | ${sig(b.p05, 4)} - ${sig(b.p95, 4)} | ${sig(b.min, 4)} - ${sig(b.max, 4)} | ${b.n}/${seeds} | \`${b.expression}\` |`)];
  const answer = `# ${q.question}\n\n${finding}\n\nSeeds 1-${seeds} of ${setup} (${seeds} runs each); P05/P50/P95 across seeds.\nReproduce: \`${command}\`\n\n${table.join("\n")}\n`;
  writeFileSync(join(out, "answer.md"), answer);

  const charts = new ChartWriter(out);
  await charts.add("seeds", "every seed's value, per metric", stripSpec(q.question, rows.filter((r): r is typeof r & { value: number } => r.value !== null), bands));
  const c = charts.charts[0];
  writeFileSync(join(out, "index.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(q.slug)}</title>
<style>body{font-family:"DejaVu Sans",sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem}</style></head><body>
<pre>${escapeHtml(answer)}</pre>
<figure>${c.svg}<figcaption><a href="${c.svgFile}">SVG</a> &middot; <a href="${c.png}">PNG</a></figcaption></figure>
<p>Tables: <a href="spread.csv">spread.csv</a> (<a href="spread.arrow">arrow</a>) &middot; <a href="seeds.csv">seeds.csv</a> (<a href="seeds.arrow">arrow</a>)</p></body></html>
`);
  return { spread, answer, out };
}

/** One row per metric: every seed as a dot, the P05-P95 range as a bar, P50 as a tick. */
function stripSpec(title: string, rows: { metric: string; value: number; seed: number }[], bands: { metric: string; p05: number; p50: number; p95: number }[]): VegaLiteSpec {
  const x = (field: string, title: string | null = null) => ({ field, type: "quantitative", scale: { zero: false }, title });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, limit: 900 },
    data: { values: [...bands.map((b) => ({ metric: b.metric, p05: b.p05, p50: b.p50, p95: b.p95 })), ...rows.map((r) => ({ metric: r.metric, seed: r.seed, value: r.value }))] },
    facet: { row: { field: "metric", type: "nominal", sort: bands.map((b) => b.metric), header: { labelAngle: 0, labelAlign: "left", labelLimit: 300 }, title: null } },
    spec: {
      width: 520,
      height: 22,
      layer: [
        { transform: [{ filter: "isValid(datum.p50)" }], mark: { type: "rule", color: "#9ab", strokeWidth: 8 }, encoding: { x: x("p05"), x2: { field: "p95" } } },
        { transform: [{ filter: "isValid(datum.seed)" }], mark: { type: "point", filled: true, size: 20, color: "#246" }, encoding: { x: x("value") } },
        { transform: [{ filter: "isValid(datum.p50)" }], mark: { type: "tick", color: "#c00", thickness: 2 }, encoding: { x: x("p50") } },
      ],
    },
    resolve: { scale: { x: "independent" } },
  } as unknown as VegaLiteSpec;
}

/** The notebook entry point: flags, run, print the answer. */
export async function spreadMain(q: SpreadQuestion): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { seeds: { type: "string" }, out: { type: "string" }, runs: { type: "string" }, workers: { type: "string" } } });
  const int = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new ConfigError(`--${flag}: expected a positive integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  try {
    const r = await runSpread(q, { seeds: int("seeds", values.seeds), out: values.out, runs: values.runs, workers: int("workers", values.workers), quiet: false });
    console.log(r.answer);
    console.log(`wrote ${join(r.out, "answer.md")}`);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${q.slug}: ${err.message}`);
    process.exit(2);
  }
}
