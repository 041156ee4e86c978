// Evaluates a scenario's `checks:` against a run summary: each check holds, fails (with the
// values) or cannot be evaluated (a missing path: the scenario is wrong, not the run).
import { CheckPathError, evaluateCheck, parseCheck } from "../scenario/checkExpression.ts";
import type { Scenario } from "../scenario/schema.ts";

export interface CheckResult {
  check: string;
  /** null: could not be evaluated. */
  holds: boolean | null;
  detail: string;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

export function checkSummary(checks: Scenario["checks"], summary: Record<string, unknown>): CheckResult[] {
  return checks.map((c) => {
    if (typeof c !== "string") {
      const actual = summary.eventsHash;
      return { check: `eventsHash == ${c.eventsHash}`, holds: actual === c.eventsHash, detail: `eventsHash is ${String(actual)}` };
    }
    try {
      const parsed = parseCheck(c);
      const r = evaluateCheck(parsed, summary);
      return { check: c, holds: r.holds, detail: `${fmt(r.left)} ${parsed.op} ${fmt(r.right)}` };
    } catch (err) {
      if (err instanceof CheckPathError || err instanceof Error) return { check: c, holds: null, detail: err.message };
      throw err;
    }
  });
}
