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

export function readRun(dir: string): { manifest: Manifest; summary: Record<string, unknown> } {
  if (!existsSync(dir)) throw new ConfigError(`${dir}: no such run directory`);
  if (!statSync(dir).isDirectory()) throw new ConfigError(`${dir}: not a directory`);
  return { manifest: readJson(dir, "manifest.json") as Manifest, summary: readJson(dir, "summary.json") };
}
