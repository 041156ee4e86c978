// The error every bad scenario input becomes: `FILE: path.inside: expected ..., got VALUE`.
import { ConfigError } from "../../core/errors.ts";

export class ScenarioError extends ConfigError {
  override name = "ScenarioError";
}

/** A short, single-line rendering of an offending value. */
export function formatValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (typeof v === "string") {
    const s = JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v);
    return s;
  }
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? "" : "s"}`;
  if (typeof v === "object") {
    const keys = Object.keys(v as object);
    return keys.length === 0 ? "an empty mapping" : `a mapping with keys ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", ..." : ""}`;
  }
  return typeof v;
}

/** Dotted path, e.g. nodes.0.count; "(top level)" for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(top level)" : path.map(String).join(".");
}
