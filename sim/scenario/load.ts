// Reading scenario files (YAML or JSON) defensively: size, binary content, syntax, alias bombs and
// nesting depth are checked before the schema, and every problem becomes one ScenarioError
// `FILE: path.inside: expected ..., got VALUE` (never a stack trace, never a hang).
import { readFileSync, statSync } from "node:fs";
import YAML, { LineCounter, isScalar } from "yaml";
import { formatIssues } from "./issues.ts";
import { applyOverrides, parseOverride, type Override } from "./overrides.ts";
import { ScenarioError, formatValue } from "./scenarioError.ts";
import { scenarioSchema, type Scenario } from "./schema.ts";
import { workloads } from "./workloads/index.ts";
import { armSchema } from "../../core/train/trainParams.ts";

/** Scenario files are small; anything larger is a mistake. */
export const MAX_FILE_BYTES = 1 << 20;
/** Deepest nesting accepted (a real scenario needs about 6). */
export const MAX_DEPTH = 32;
const MAX_ALIASES = 100;

export interface LoadOptions {
  /** `--set path=value` texts, applied in order after the file. */
  sets?: readonly string[];
}

/** Reads and validates a scenario file. */
export function loadScenario(file: string, options: LoadOptions = {}): Scenario {
  const overrides = (options.sets ?? []).map(parseOverride);
  const doc = readScenarioDocument(file);
  return parseScenario(doc, file, overrides);
}

/** Reads a file into a plain JSON-like value, with every guard. */
export function readScenarioDocument(file: string): unknown {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ScenarioError(`${file}: is a directory, expected a scenario file (.yaml or .json)`);
    if (!st.isFile()) throw new ScenarioError(`${file}: not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read (${code ?? String(err)})`);
  }
  if (size > MAX_FILE_BYTES) throw new ScenarioError(`${file}: expected a scenario file of at most ${MAX_FILE_BYTES} bytes, got ${size} bytes`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ScenarioError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseScenarioText(decodeText(bytes, file), file);
}

function decodeText(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ScenarioError(`${file}: expected a text file (YAML or JSON), got binary data (a NUL byte at offset ${nul})`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ScenarioError(`${file}: expected a UTF-8 text file (YAML or JSON), got bytes that are not UTF-8`);
  }
}

/** Deepest bracket nesting outside quoted strings: a cheap pre-check before the parser recurses. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== "\n") i++;
    }
  }
  return max;
}

/** Parses YAML/JSON text (JSON is YAML 1.2) to a plain value, with the guards. */
export function parseScenarioText(text: string, file: string): unknown {
  if (text.trim().length === 0) throw new ScenarioError(`${file}: expected a scenario mapping (name, duration, nodes, workload, ...), got an empty file`);
  if (flowDepth(text) > MAX_DEPTH) throw new ScenarioError(`${file}: expected nesting of at most ${MAX_DEPTH} levels, got deeper nesting`);
  let value: unknown;
  try {
    // uniqueKeys is checked below in linear time (the parser's own check is quadratic: a file of
    // 100k keys would take minutes).
    const lines = new LineCounter();
    const doc = YAML.parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter: lines });
    const first = doc.errors[0];
    if (first !== undefined) {
      const pos = first.linePos?.[0];
      const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
      if (/call stack/i.test(first.message)) throw new ScenarioError(`${where}: expected nesting of at most ${MAX_DEPTH} levels, got nesting too deep to parse`);
      throw new ScenarioError(`${where}: syntax error: ${first.message.split("\n")[0]}`);
    }
    checkUniqueKeys(doc, lines, file);
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (/alias/i.test(msg)) throw new ScenarioError(`${file}: expected at most ${MAX_ALIASES} alias expansions, got a YAML alias bomb (excessive aliases)`);
    if (err instanceof RangeError) throw new ScenarioError(`${file}: expected nesting of at most ${MAX_DEPTH} levels, got nesting too deep to parse`);
    throw new ScenarioError(`${file}: cannot parse: ${msg.split("\n")[0]}`);
  }
  checkDepth(value, file);
  return value;
}

/** Duplicate keys in any mapping are an error naming the line (as YAML 1.2 requires). */
function checkUniqueKeys(doc: YAML.Document, lines: LineCounter, file: string): void {
  YAML.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        const name = isScalar(key) ? String(key.value) : JSON.stringify(key);
        if (seen.has(name)) {
          const at = isScalar(key) && key.range ? lines.linePos(key.range[0]) : null;
          throw new ScenarioError(`${at ? `${file}:${at.line}:${at.col}` : file}: syntax error: duplicate key ${JSON.stringify(name)} (map keys must be unique)`);
        }
        seen.add(name);
      }
    },
  });
}

function checkDepth(root: unknown, file: string): void {
  const stack: [unknown, string[]][] = [[root, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (path.length >= MAX_DEPTH) throw new ScenarioError(`${file}: ${path.slice(0, 8).join(".")}...: expected nesting of at most ${MAX_DEPTH} levels, got deeper nesting`);
    for (const [k, child] of Object.entries(v)) stack.push([child, [...path, k]]);
  }
}

/** Validates a parsed document (plus overrides) into a Scenario. `source` names it in errors. */
export function parseScenario(doc: unknown, source: string, overrides: readonly Override[] = []): Scenario {
  let raw = doc;
  try {
    if (overrides.length > 0) raw = applyOverrides(structuredClone(doc), overrides);
  } catch (err) {
    // The --set does not fit the file's shape (a list index past the end, a key inside a number): name the file too.
    if (err instanceof ScenarioError) throw new ScenarioError(`${source}: ${err.message}`, { cause: err });
    throw err;
  }
  const where = (line: string) => {
    const path = line.slice(0, line.indexOf(":"));
    const o = [...overrides].reverse().find((x) => path === x.path.join(".") || path.startsWith(x.path.join(".") + "."));
    return o ? `${source} (--set ${o.text})` : source;
  };
  const fail = (lines: string[]): never => {
    const [first, ...rest] = lines;
    throw new ScenarioError(`${where(first)}: ${first}`, rest.length > 0 ? { details: rest.slice(0, 10).map((l) => `${where(l)}: ${l}`).join("\n") } : {});
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ScenarioError(`${source}: (top level): expected a mapping (name, duration, nodes, workload, ...), got ${formatValue(raw)}`);
  }
  const r = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!r.success) fail(formatIssues(r.error.issues, raw));
  const parsed = r.data!;
  const { kind, ...params } = parsed.workload;
  const entry = Object.hasOwn(workloads, kind) ? workloads[kind] : undefined;
  if (entry === undefined) {
    fail([`workload.kind: expected one of ${Object.keys(workloads).sort().join(", ")}, got ${formatValue(kind)}`]);
  }
  const w = entry!.schema.safeParse(params, { reportInput: true });
  if (!w.success) fail(formatIssues(w.error.issues, params).map((l) => under("workload", l)));
  if (kind === "train-compare") {
    const lines = armIssues((w.data as { arms: { name: string }[] }).arms);
    if (lines.length > 0) fail(lines);
  }
  return { ...parsed, workload: { kind, ...(w.data as object) } } as Scenario;
}

/** `line` (a formatIssues line, `path: ...`) moved under `prefix`. */
function under(prefix: string, line: string): string {
  return line.startsWith("(top level)") ? prefix + line.slice(11) : `${prefix}.${line}`;
}

/**
 * train-compare's schema leaves each arm open (any algorithm's keys); each arm is checked here
 * against its algorithm's schema, as the workload does at start, so that a bad arm is reported
 * like any other key: file, full path (`workload.arms.1.H`, as `--set` writes it), expectation and value.
 */
function armIssues(arms: readonly { name: string }[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  arms.forEach((arm, i) => {
    const at = `workload.arms.${i}`;
    const { name, ...rest } = arm;
    if (seen.has(name)) lines.push(`${at}.name: expected a name no earlier arm has, got ${formatValue(name)} (a duplicate)`);
    seen.add(name);
    const r = armSchema.safeParse(rest, { reportInput: true });
    if (!r.success) lines.push(...formatIssues(r.error.issues, rest).map((l) => under(at, l)));
  });
  return lines;
}
