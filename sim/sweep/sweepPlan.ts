// A sweep's plan: the scenario document, its points, and the sweep directory layout
//   DIR/sweep.json        the plan (scenario file, hash, every point id / seed / params)
//   DIR/points/<id>/      one finished run directory per point (renamed into place atomically)
//   DIR/index.json        results sorted by point id (written when every point is done)
// The plan is checked on --resume so a directory never mixes two sweeps.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../../core/errors.ts";
import { applyOverrides, parseOverride, type Override } from "../scenario/overrides.ts";
import { parseScenario, readScenarioDocument } from "../scenario/load.ts";
import type { Scenario } from "../scenario/schema.ts";
import { expandSweep, type SweepPoint, type SweepSpec } from "./expandSweep.ts";

export interface SweepPlan {
  name: string;
  /** The scenario file as given (recorded in each point's manifest). */
  file: string;
  /** The scenario document after --set overrides, before point parameters. */
  doc: Record<string, unknown>;
  /** sha256 of the canonical JSON of doc: identifies the sweep. */
  scenarioHash: string;
  points: SweepPoint[];
}

/** Canonical JSON (sorted keys) for hashing. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(v as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as any)[k])}`).join(",")}}`;
}

/** Reads the scenario, validates it and every point, and lists the points. */
export function planSweep(file: string, sets: readonly string[] = []): SweepPlan {
  const raw = readScenarioDocument(file);
  const overrides = sets.map(parseOverride);
  const doc = (overrides.length > 0 ? applyOverrides(structuredClone(raw), overrides) : raw) as Record<string, unknown>;
  const base = parseScenario(raw, file, overrides); // with the overrides, so an error names the --set that caused it
  const seeds = base.seeds ?? (base.seed !== undefined ? [base.seed] : []);
  if (seeds.length === 0) throw new ConfigError(`${file}: a sweep needs seeds: (e.g. {from: 1, count: 16}) or seed:`);
  const points = expandSweep(base.sweep as SweepSpec | undefined, seeds, file);
  const plan: SweepPlan = { name: base.name, file, doc, scenarioHash: createHash("sha256").update(canonicalJson(doc)).digest("hex"), points };
  // Validate every distinct combination up front: a bad value fails before any work starts.
  const seen = new Set<number>();
  for (const p of points) {
    if (seen.has(p.combo)) continue;
    seen.add(p.combo);
    pointScenario(plan, p);
  }
  return plan;
}

/** The point's parameters as `--set` texts (recorded in its manifest). */
export function pointSets(point: SweepPoint): string[] {
  return Object.entries(point.params).map(([path, v]) => `${path}=${JSON.stringify(v)}`);
}

/** The validated scenario of one point: the document with its parameters and seed applied. */
export function pointScenario(plan: Pick<SweepPlan, "doc" | "file">, point: SweepPoint): Scenario {
  const doc = structuredClone(plan.doc);
  delete doc.sweep;
  delete doc.seeds;
  const overrides: Override[] = Object.entries(point.params).map(([path, value]) => ({ text: `${path}=${JSON.stringify(value)}`, path: path.split("."), value }));
  overrides.push({ text: `seed=${point.seed}`, path: ["seed"], value: point.seed });
  return parseScenario(applyOverrides(doc, overrides), `${plan.file} [sweep point ${point.id}]`);
}

/** Writes a file atomically: a temporary sibling, then rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

function planRecord(plan: SweepPlan): string {
  return JSON.stringify({
    sweep: plan.name,
    file: plan.file,
    scenarioHash: plan.scenarioHash,
    points: plan.points.map((p) => ({ id: p.id, combo: p.combo, seed: p.seed, params: p.params })),
  }, null, 2) + "\n";
}

/**
 * Prepares DIR for the plan. A fresh sweep needs an empty or missing DIR; --resume needs the
 * same plan there. Partial point directories left by a killed sweep are removed.
 * Returns the ids already finished.
 */
export function openSweepDir(dir: string, plan: SweepPlan, resume: boolean): Set<string> {
  const root = resolve(dir);
  const planPath = join(root, "sweep.json");
  const record = planRecord(plan);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new ConfigError(`--out ${dir}: exists and is not a directory; refusing to replace it`);
  if (existsSync(planPath)) {
    if (!resume) throw new ConfigError(`--out ${dir}: already holds a sweep; add --resume to continue it, or choose another directory`);
    let old: { scenarioHash?: unknown };
    try {
      old = JSON.parse(readFileSync(planPath, "utf8"));
    } catch (err) {
      throw new ConfigError(`${join(dir, "sweep.json")}: not valid JSON (${(err as Error).message}); refusing to resume over it`);
    }
    if (old.scenarioHash !== plan.scenarioHash || readFileSync(planPath, "utf8") !== record) {
      throw new ConfigError(`--out ${dir}: holds a different sweep (scenario hash ${String(old.scenarioHash).slice(0, 12)}, this one ${plan.scenarioHash.slice(0, 12)}); refusing to mix them`);
    }
  } else if (existsSync(root) && readdirSync(root).length > 0) {
    throw new ConfigError(`--out ${dir}: exists, is not empty and holds no sweep.json; refusing to write into it`);
  }
  try {
    mkdirSync(join(root, "points"), { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`--out ${dir}: cannot create the sweep directory (${e.code ?? e.message})`, { cause: err });
  }
  if (!existsSync(planPath)) writeFileAtomic(planPath, record);
  return finishedPoints(root, plan);
}

/** Ids of points whose run directory is in place (removing leftovers of interrupted ones). */
export function finishedPoints(root: string, plan: SweepPlan): Set<string> {
  const ids = new Set(plan.points.map((p) => p.id));
  const done = new Set<string>();
  const pointsDir = join(root, "points");
  for (const name of readdirSync(pointsDir)) {
    if (ids.has(name) && existsSync(join(pointsDir, name, "summary.json"))) done.add(name);
    else if (name.includes(".partial-") || name.includes(".tmp-")) rmSync(join(pointsDir, name), { recursive: true, force: true });
  }
  return done;
}

/** DIR/index.json: every point's id, seed, params, eventsHash and summary, sorted by id. */
export function writeIndex(dir: string, plan: SweepPlan): string {
  const root = resolve(dir);
  const points = plan.points.map((p) => {
    const summary = JSON.parse(readFileSync(join(root, "points", p.id, "summary.json"), "utf8"));
    return { id: p.id, combo: p.combo, seed: p.seed, params: p.params, eventsHash: summary.eventsHash, summary };
  });
  const path = join(root, "index.json");
  writeFileAtomic(path, JSON.stringify({ sweep: plan.name, scenarioHash: plan.scenarioHash, points }, null, 2) + "\n");
  return path;
}
