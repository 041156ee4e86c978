// Adversary for forward-only jobs (core/inference): the lazy server answering from a cache. From
// chunk `from` (>= 1) on, it skips the model and returns the previous chunk's output as this
// chunk's answer (its row of the results tensor), claiming the fee for work it never did.
import { ConfigError } from "../errors.ts";
import type { ForwardProgram } from "../inference/forwardProgram.ts";
import type { Behaviour } from "../verde/solver.ts";

export interface CachedOutputsOptions {
  program: ForwardProgram;
  /** First chunk answered from the cache (>= 1: chunk 0 has nothing cached). */
  from: number;
}

export function cachedOutputs(options: CachedOutputsOptions): Behaviour {
  const { program, from } = options;
  if (!Number.isInteger(from) || from < 1 || from >= program.steps) throw new ConfigError(`cachedOutputs: from must be in 1..${program.steps - 1}, got ${from}`);
  const g = program.graph(0);
  const target = g.nodes.find((n) => n.id === "chunk-output");
  if (!target) throw new ConfigError(`cachedOutputs: ${program.name} has no chunk-output node`);
  const results = g.stateIn[0];
  const K = program.width;
  return {
    kind: "cached",
    honest: false,
    tamper: (i) => (i < from ? undefined : (node, out, _inputs, outputs) => (node.index === target.index ? outputs[results].slice((i - 1) * K, i * K) : out)),
  };
}
