// `checks:` expressions over summary.json paths, e.g. "world.availability > 0.9" or
// "workload.diloco.heldOutLoss <= 1.05 * workload.ddp.heldOutLoss". A small recursive-descent
// parser (no eval): numbers, paths, + - * /, parentheses, one comparison (< <= > >= == !=).
// Path segments may contain '-' (us-east), so put spaces around a minus; keys with other
// characters go in brackets: byRegionPair['us-east->eu-west'].p99.
import { ScenarioError } from "./scenarioError.ts";

export type Expr =
  | { kind: "num"; value: number }
  | { kind: "path"; path: string[]; text: string }
  | { kind: "neg"; arg: Expr }
  | { kind: "bin"; op: "+" | "-" | "*" | "/"; left: Expr; right: Expr };

export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
export interface Check {
  text: string;
  left: Expr;
  op: CompareOp;
  right: Expr;
}

type Token = { t: "num"; v: number; at: number } | { t: "path"; v: string[]; text: string; at: number } | { t: "op"; v: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new ScenarioError(`check "${src}": ${what} at column ${i + 1}`);
  };
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const start = i;
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: "num", v: Number(num[0]), at: start });
      i += num[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const path: string[] = [];
      const seg = /^[A-Za-z0-9_][A-Za-z0-9_-]*/;
      let m = seg.exec(src.slice(i))!;
      path.push(m[0]);
      i += m[0].length;
      for (;;) {
        if (src[i] === "." && (m = seg.exec(src.slice(i + 1))!)) {
          path.push(m[0]);
          i += 1 + m[0].length;
        } else if (src[i] === "[") {
          const q = /^\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]/.exec(src.slice(i));
          if (!q) fail("expected ['key'] or [index]");
          path.push(q![1] ?? q![2] ?? q![3]);
          i += q![0].length;
        } else break;
      }
      out.push({ t: "path", v: path, text: src.slice(start, i), at: start });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["<=", ">=", "==", "!="].includes(two)) {
      out.push({ t: "op", v: two, at: start });
      i += 2;
      continue;
    }
    if ("+-*/()<>".includes(c)) {
      out.push({ t: "op", v: c, at: start });
      i++;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

/** Parses a check; throws ScenarioError naming the column on bad syntax. */
export function parseCheck(src: string): Check {
  const toks = tokenize(src);
  let k = 0;
  const fail = (what: string): never => {
    const at = k < toks.length ? `column ${toks[k].at + 1}` : "the end";
    throw new ScenarioError(`check "${src}": expected ${what} at ${at}`);
  };
  const isOp = (...ops: string[]) => k < toks.length && toks[k].t === "op" && ops.includes(toks[k].v as string);
  const primary = (): Expr => {
    const tok = toks[k];
    if (tok === undefined) return fail("a number, a summary path or '('");
    if (tok.t === "num") {
      k++;
      return { kind: "num", value: tok.v };
    }
    if (tok.t === "path") {
      k++;
      return { kind: "path", path: tok.v, text: tok.text };
    }
    if (isOp("(")) {
      k++;
      const e = sum();
      if (!isOp(")")) fail("')'");
      k++;
      return e;
    }
    if (isOp("-")) {
      k++;
      return { kind: "neg", arg: primary() };
    }
    return fail("a number, a summary path or '('");
  };
  const product = (): Expr => {
    let e = primary();
    while (isOp("*", "/")) {
      const op = toks[k++].v as "*" | "/";
      e = { kind: "bin", op, left: e, right: primary() };
    }
    return e;
  };
  const sum = (): Expr => {
    let e = product();
    while (isOp("+", "-")) {
      const op = toks[k++].v as "+" | "-";
      e = { kind: "bin", op, left: e, right: product() };
    }
    return e;
  };
  const left = sum();
  if (!isOp("<", "<=", ">", ">=", "==", "!=")) fail("a comparison (<, <=, >, >=, ==, !=)");
  const op = toks[k++].v as CompareOp;
  const right = sum();
  if (k < toks.length) fail("the end of the check");
  return { text: src, left, op, right };
}

/** A summary path that is missing or not a number. */
export class CheckPathError extends ScenarioError {
  override name = "CheckPathError";
}

function lookup(root: unknown, e: Extract<Expr, { kind: "path" }>): number {
  let v: any = root;
  for (let i = 0; i < e.path.length; i++) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, e.path[i])) {
      const at = e.path.slice(0, i + 1).join(".");
      throw new CheckPathError(`${e.text}: summary.json has no ${at}`);
    }
    v = v[e.path[i]];
  }
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number") throw new CheckPathError(`${e.text}: expected a number in summary.json, got ${JSON.stringify(v)?.slice(0, 60)}`);
  return v;
}

export function evaluate(e: Expr, summary: unknown): number {
  switch (e.kind) {
    case "num":
      return e.value;
    case "path":
      return lookup(summary, e);
    case "neg":
      return -evaluate(e.arg, summary);
    case "bin": {
      const a = evaluate(e.left, summary);
      const b = evaluate(e.right, summary);
      return e.op === "+" ? a + b : e.op === "-" ? a - b : e.op === "*" ? a * b : a / b;
    }
  }
}

/** Evaluates a check: whether it holds, and both sides' values. */
export function evaluateCheck(c: Check, summary: unknown): { holds: boolean; left: number; right: number } {
  const left = evaluate(c.left, summary);
  const right = evaluate(c.right, summary);
  const holds =
    c.op === "<" ? left < right : c.op === "<=" ? left <= right : c.op === ">" ? left > right : c.op === ">=" ? left >= right : c.op === "==" ? left === right : left !== right;
  return { holds, left, right };
}
