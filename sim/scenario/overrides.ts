// `--set path=value` overrides: values are YAML scalars ("5" -> 5, "2h" -> "2h", "true" -> true,
// "[1, 2]" -> a list), applied to the parsed file before validation, so precedence is
// flag > file > default (STYLE: what to avoid, radCAD).
import YAML from "yaml";
import { ScenarioError } from "./scenarioError.ts";

export interface Override {
  /** The text given, e.g. "nodes.0.count=500". */
  text: string;
  path: string[];
  value: unknown;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export function parseOverride(text: string): Override {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new ScenarioError(`--set ${text}: expected path=value, e.g. --set nodes.count=500`);
  const path = text.slice(0, eq).split(".");
  for (const seg of path) {
    if (!SEGMENT.test(seg) || seg === "__proto__" || seg === "constructor" || seg === "prototype") {
      throw new ScenarioError(`--set ${text}: expected a dotted path of keys and list indices, got ${JSON.stringify(text.slice(0, eq))}`);
    }
  }
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = raw === "" ? "" : YAML.parse(raw, { maxAliasCount: 0 });
  } catch {
    value = raw; // not valid YAML: keep the text as a string
  }
  return { text, path, value };
}

/** Applies overrides in order to a plain object (mutated and returned). */
export function applyOverrides(doc: unknown, overrides: readonly Override[]): unknown {
  let root = doc;
  for (const o of overrides) {
    if (root === null || typeof root !== "object" || Array.isArray(root)) root = {};
    let cur: any = root;
    for (let i = 0; i < o.path.length - 1; i++) {
      const key = o.path[i];
      let next = Array.isArray(cur) ? cur[Number(key)] : Object.hasOwn(cur, key) ? cur[key] : undefined;
      if (next === undefined) {
        next = /^\d+$/.test(o.path[i + 1]) ? [] : {};
        setKey(cur, key, next, o);
      } else if (next === null || typeof next !== "object") {
        throw new ScenarioError(`--set ${o.text}: ${o.path.slice(0, i + 1).join(".")} is ${JSON.stringify(next)}, not a mapping or list to set a key inside`);
      }
      cur = next;
    }
    setKey(cur, o.path[o.path.length - 1], o.value, o);
  }
  return root;
}

function setKey(target: any, key: string, value: unknown, o: Override): void {
  if (Array.isArray(target)) {
    if (!/^\d+$/.test(key) || Number(key) > target.length) {
      throw new ScenarioError(`--set ${o.text}: expected a list index from 0 to ${target.length}, got ${JSON.stringify(key)}`);
    }
    target[Number(key)] = value;
  } else {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
}
