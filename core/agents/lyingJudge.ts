// Adversary for AI-judged markets (core/delphi): a judge whose inference job reports a chosen
// wrong outcome. It runs the model, then raises the logit of `outcome` on every request of every
// chunk by `bias` at the chunk's output node: the result it commits names its outcome, and the
// lie sits on one node per chunk, where phase 2 of a dispute finds it.
import { ConfigError } from "../errors.ts";
import type { ForwardProgram } from "../inference/forwardProgram.ts";
import type { Behaviour } from "../verde/solver.ts";

export interface LyingJudgeOptions {
  program: ForwardProgram;
  /** The outcome it wants the market resolved to. */
  outcome: number;
  /** Number of outcomes (the row width of one request's logits). */
  outcomes: number;
  /** How much it adds to that logit (default 100: enough to win every argmax). */
  bias?: number;
}

export function lyingJudge(options: LyingJudgeOptions): Behaviour {
  const { program, outcome, outcomes, bias = 100 } = options;
  if (!Number.isInteger(outcome) || outcome < 0 || outcome >= outcomes) throw new ConfigError(`lyingJudge: outcome must be in 0..${outcomes - 1}, got ${outcome}`);
  const target = program.graph(0).nodes.find((n) => n.id === "chunk-output");
  if (!target) throw new ConfigError(`lyingJudge: ${program.name} has no chunk-output node`);
  return {
    kind: "lying-judge",
    honest: false,
    tamper: () => (node, out) => {
      if (node.index !== target.index) return out;
      const lie = out.slice();
      for (let r = outcome; r < lie.length; r += outcomes) lie[r] += bias;
      return lie;
    },
  };
}
