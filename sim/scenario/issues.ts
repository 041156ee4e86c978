// Zod issues rendered as one line each: `path: expected ..., got VALUE` (STYLE: convention 3).
import type { core } from "zod";
import { formatPath, formatValue } from "./scenarioError.ts";

type Issue = core.$ZodIssue;

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  record: "a mapping",
  null: "null",
};

function bound(i: { origin: string; inclusive?: boolean }, op: "min" | "max", v: number | bigint): string {
  const sym = op === "min" ? (i.inclusive === false ? ">" : ">=") : i.inclusive === false ? "<" : "<=";
  if (i.origin === "array") return `${op === "min" ? "at least" : "at most"} ${v} item${Number(v) === 1 ? "" : "s"}`;
  if (i.origin === "string") return `a string of ${op === "min" ? "at least" : "at most"} ${v} characters`;
  return `${i.origin === "int" ? "an integer" : "a number"} ${sym} ${v}`;
}

function depth(issues: readonly Issue[]): number {
  return issues.reduce((m, i) => Math.max(m, i.path.length), 0);
}

/** What was expected, as words (without the "got" part). */
function expectation(i: Issue): string {
  // Our own messages (e.g. durations) already say what is expected.
  if (i.message.startsWith("expected")) return i.message;
  switch (i.code) {
    case "invalid_type":
      return `expected ${ARTICLE[i.expected] ?? i.expected}`;
    case "too_small":
      return `expected ${bound(i, "min", i.minimum)}`;
    case "too_big":
      return `expected ${bound(i, "max", i.maximum)}`;
    case "invalid_value":
      return `expected ${i.values.length === 1 ? JSON.stringify(i.values[0]) : "one of " + i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "not_multiple_of":
      return `expected a multiple of ${i.divisor}`;
    default:
      return i.message.startsWith("expected") ? i.message : `expected ${i.message}`;
  }
}

/** One readable line per problem, deepest and most specific first. */
export function formatIssues(issues: readonly Issue[], root: unknown): string[] {
  const lines: string[] = [];
  for (const i of issues) lines.push(...formatIssue(i, [], root));
  return lines;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: any = root;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[k as any];
  }
  return v;
}

function formatIssue(i: Issue, prefix: readonly PropertyKey[], root: unknown): string[] {
  const path = [...prefix, ...i.path];
  if (i.code === "unrecognized_keys") {
    return i.keys.map((k) => `${formatPath([...path, k])}: unknown key (not part of the schema), got ${formatValue(valueAt(root, [...path, k]))}`);
  }
  if (i.code === "invalid_key" || i.code === "invalid_element") {
    return i.issues.flatMap((sub) => formatIssue(sub, path, root)).map((l) => l.replace(/^([^:]*): expected/, "$1: key expected"));
  }
  if (i.code === "invalid_union" && i.errors.length === 0 && "options" in i && Array.isArray(i.options)) {
    // A discriminated union (e.g. a train-compare arm's `kind`) whose discriminator matched no option.
    const opts = (i.options as unknown[]).map((o) => JSON.stringify(o)).join(", ");
    return [`${formatPath(path)}: expected one of ${opts}, got ${formatValue(valueAt(root, path))}`];
  }
  if (i.code === "invalid_union" && i.errors.length > 0) {
    // The branch that got furthest explains the problem best; if none got inside, list types.
    const best = [...i.errors].sort((a, b) => depth(b) - depth(a))[0];
    if (depth(best) > 0) return best.flatMap((sub) => formatIssue(sub, path, root));
    const wants = [...new Set(i.errors.flatMap((e) => e.map(expectation)))].map((s) => s.replace(/^expected /, ""));
    return [`${formatPath(path)}: expected ${wants.join(" or ")}, got ${formatValue(valueAt(root, path))}`];
  }
  const value = "input" in i && i.input !== undefined ? i.input : valueAt(root, path);
  return [`${formatPath(path)}: ${expectation(i)}, got ${formatValue(value)}`];
}
