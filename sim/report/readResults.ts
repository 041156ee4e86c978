// Reads a run directory or a sweep directory into one shape for reports and notebooks:
// points (id, combination, seed, params, summary, directory) and their combinations.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../../core/errors.ts";

export interface ResultPoint {
  id: string;
  combo: number;
  seed: number;
  params: Record<string, string | number | boolean | null>;
  summary: Record<string, unknown>;
  /** The point's run directory. */
  dir: string;
}

export interface Combination {
  combo: number;
  /** Short label, e.g. "burnShare=0.3 protocolFeeShare=0.005"; "run" when nothing varies. */
  label: string;
  params: Record<string, string | number | boolean | null>;
}

export interface ResultSet {
  kind: "run" | "sweep";
  name: string;
  dir: string;
  points: ResultPoint[];
  combos: Combination[];
  /** Sweep parameter paths, in sweep order. */
  paramPaths: string[];
}

function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`${path}: cannot read JSON (${(err as Error).message})`);
  }
}

/** The last segment of a scenario path (workload.buyback.burnShare -> burnShare), for labels. */
export function shortName(path: string): string {
  const parts = path.split(".");
  return parts[parts.length - 1];
}

export function comboLabel(params: Record<string, unknown>): string {
  const keys = Object.keys(params);
  if (keys.length === 0) return "run";
  return keys.map((k) => `${shortName(k)}=${params[k]}`).join(" ");
}

export function readResults(dirArg: string): ResultSet {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new ConfigError(`${dirArg}: no such directory`);
  if (existsSync(join(dir, "sweep.json"))) {
    if (!existsSync(join(dir, "index.json"))) {
      throw new ConfigError(`${dirArg}: the sweep is not finished (no index.json); run \`gsim sweep ... --resume\` first`);
    }
    const index = readJson(join(dir, "index.json"));
    if (index === null || typeof index !== "object" || !Array.isArray(index.points)) {
      throw new ConfigError(`${join(dirArg, "index.json")}: points: expected a list of points, got ${JSON.stringify(index?.points) ?? "nothing"}`);
    }
    index.points.forEach((p: any, i: number) => {
      if (p === null || typeof p !== "object" || typeof p.id !== "string" || !/^[\w.-]+$/.test(p.id) || typeof p.summary !== "object" || p.summary === null) {
        throw new ConfigError(`${join(dirArg, "index.json")}: points.${i}: expected {id, combo, seed, params, summary}, got ${JSON.stringify(p)?.slice(0, 200)}`);
      }
    });
    const points: ResultPoint[] = index.points.map((p: any) => ({ id: p.id, combo: p.combo, seed: p.seed, params: p.params, summary: p.summary, dir: join(dir, "points", p.id) }));
    const combos = new Map<number, Combination>();
    for (const p of points) if (!combos.has(p.combo)) combos.set(p.combo, { combo: p.combo, label: comboLabel(p.params), params: p.params });
    const paramPaths = points.length > 0 ? Object.keys(points[0].params) : [];
    return { kind: "sweep", name: index.sweep, dir, points, combos: [...combos.values()].sort((a, b) => a.combo - b.combo), paramPaths };
  }
  if (existsSync(join(dir, "summary.json"))) {
    const summary = readJson(join(dir, "summary.json"));
    if (summary === null || typeof summary !== "object" || Array.isArray(summary)) {
      throw new ConfigError(`${join(dirArg, "summary.json")}: (top level): expected an object, got ${JSON.stringify(summary)?.slice(0, 200)}`);
    }
    const point: ResultPoint = { id: "run", combo: 0, seed: Number(summary.seed ?? 0), params: {}, summary, dir };
    return { kind: "run", name: String(summary.scenario ?? "run"), dir, points: [point], combos: [{ combo: 0, label: "run", params: {} }], paramPaths: [] };
  }
  throw new ConfigError(`${dirArg}: neither a run directory (summary.json) nor a sweep directory (sweep.json)`);
}

/** Numeric leaves of a summary as dotted paths (booleans and strings skipped), sorted. */
export function numericLeaves(obj: unknown, prefix = "", out: Record<string, number> = {}): Record<string, number> {
  if (typeof obj === "number" && Number.isFinite(obj)) out[prefix] = obj;
  else if (obj !== null && typeof obj === "object" && !Array.isArray(obj)) {
    for (const k of Object.keys(obj as object).sort()) numericLeaves((obj as any)[k], prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** One point's metrics.csv as columns (t in microseconds, name, value, labels). */
export interface MetricColumns {
  t: number[];
  name: string[];
  value: number[];
  labels: string[];
}

/** Parses metrics.csv (t,name,value,labels; RFC 4180 quoting in name/labels). */
export function readMetricsCsv(path: string): MetricColumns {
  if (!existsSync(path)) throw new ConfigError(`${path}: no such file (every run directory has one)`);
  const text = readFileSync(path, "utf8");
  const out: MetricColumns = { t: [], name: [], value: [], labels: [] };
  const lines = text.split("\n");
  if (lines[0] !== "t,name,value,labels") throw new ConfigError(`${path}: line 1: expected the header t,name,value,labels, got ${JSON.stringify(lines[0].slice(0, 80))}`);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    const f = splitCsvLine(line);
    if (f.length < 3 || !Number.isFinite(Number(f[0])) || f[2] === "" || (f[2] !== "NaN" && Number.isNaN(Number(f[2])))) {
      throw new ConfigError(`${path}: line ${i + 1}: expected t,name,value,labels, got ${JSON.stringify(line.slice(0, 80))}`);
    }
    out.t.push(Number(f[0]));
    out.name.push(f[1]);
    out.value.push(Number(f[2]));
    out.labels.push(f[3] ?? "");
  }
  return out;
}

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const fields: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      fields.push(cur);
      cur = "";
    } else cur += c;
  }
  fields.push(cur);
  return fields;
}
