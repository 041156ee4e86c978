// Reading a run directory back (replay, check, reports), with clear errors for what is missing.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../core/errors.ts";
import type { Manifest } from "./manifest.ts";

function readJson(dir: string, name: string): any {
  const p = join(dir, name);
  if (!existsSync(p)) throw new ConfigError(`${dir}: not a complete run directory (no ${name})`);
  try {
    return JSON.parse(readFileSync(p, "utf8"));
  } catch (err) {
    throw new ConfigError(`${p}: not valid JSON (${(err as Error).message})`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The fields replay relies on; anything else wrong in an edited manifest surfaces when it runs. */
function checkManifest(p: string, m: unknown): Manifest {
  const bad = (path: string, expected: string, got: unknown): never => {
    throw new ConfigError(`${p}: ${path}: expected ${expected}, got ${JSON.stringify(got) ?? "nothing"}`);
  };
  if (!isObject(m)) return bad("(top level)", "an object", m);
  if (!Number.isSafeInteger(m.seed) || (m.seed as number) < 0) bad("seed", "a non-negative integer", m.seed);
  if (typeof m.backend !== "string") bad("backend", "a backend name", m.backend);
  if (m.settle !== "memory" && m.settle !== "anvil") bad("settle", "memory or anvil", m.settle);
  const s = m.scenario;
  if (!isObject(s)) return bad("scenario", "an object", s);
  if (typeof s.name !== "string") bad("scenario.name", "a string", s.name);
  if (!Number.isSafeInteger(s.duration) || (s.duration as number) <= 0) bad("scenario.duration", "a positive integer (microseconds)", s.duration);
  if (!isObject(s.workload) || typeof s.workload.kind !== "string") bad("scenario.workload", "an object with a kind", s.workload);
  return m as unknown as Manifest;
}

export function readRun(dir: string): { manifest: Manifest; summary: Record<string, unknown> } {
  if (!existsSync(dir)) throw new ConfigError(`${dir}: no such run directory`);
  if (!statSync(dir).isDirectory()) throw new ConfigError(`${dir}: not a directory`);
  const manifest = checkManifest(join(dir, "manifest.json"), readJson(dir, "manifest.json"));
  const summary = readJson(dir, "summary.json");
  if (!isObject(summary)) throw new ConfigError(`${join(dir, "summary.json")}: (top level): expected an object, got ${JSON.stringify(summary)}`);
  return { manifest, summary };
}

/** The recorded events.jsonl, exactly as written (replay compares bytes). */
export function readRecordedEvents(dir: string): string {
  const p = join(dir, "events.jsonl");
  if (!existsSync(p)) throw new ConfigError(`${dir}: not a complete run directory (no events.jsonl)`);
  return readFileSync(p, "utf8");
}
