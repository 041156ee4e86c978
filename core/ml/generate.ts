// Autoregressive sampling from a trained LM (for RL rollouts on verifiable tasks, REFERENCE §7):
// the forward graph runs once per new token; the next token is drawn from the softmax of the
// last position's logits with reproducible exp (repops math32) and a named RNG stream.
import type { Rng } from "../des/rng.ts";
import { ConfigError } from "../errors.ts";
import type { Backend } from "./backend.ts";
import { executeGraph } from "./execute.ts";
import { buildTransformerLM, type TransformerConfig } from "./models/transformer.ts";
import { exp32 } from "./repops/math32.ts";
import { buildEvalGraph } from "./trainStep.ts";

export interface GenerateOptions {
  /** Model config; its batch is the number of prompts decoded together. */
  cfg: TransformerConfig;
  /** Parameter values by name (one replica). */
  params: ReadonlyMap<string, Float32Array>;
  backend: Backend;
  /** Token id used to fill positions after the sequence (never attended by earlier ones). */
  pad: number;
  /** Softmax temperature; 0 = greedy (argmax, lowest id on ties). */
  temperature: number;
  /** Stop a sequence once it emits this token (it is kept). */
  stop?: number;
}

/**
 * Continue each prompt by up to `maxNew` tokens (prompt + completion must fit the context).
 * Returns the completions (without the prompts).
 */
export function generate(prompts: readonly number[][], maxNew: number, rng: Rng, o: GenerateOptions): number[][] {
  const { cfg } = o;
  const T = cfg.context;
  if (prompts.length !== cfg.batch) throw new ConfigError(`generate: ${prompts.length} prompts for a model batch of ${cfg.batch}`);
  for (const p of prompts) if (p.length < 1 || p.length + maxNew > T) throw new ConfigError(`generate: prompt of ${p.length} tokens + ${maxNew} new exceeds context ${T}`);
  const { graph } = buildEvalGraph((g) => buildTransformerLM(g, { ...cfg, weighted: false }));
  const V = cfg.vocab;
  const seqs = prompts.map((p) => [...p]);
  const done = prompts.map(() => false);
  const feeds = new Map(o.params);
  feeds.set("targets", new Float32Array(cfg.batch * T));
  const probs = new Float64Array(V);
  for (let step = 0; step < maxNew && done.some((d) => !d); step++) {
    const tokens = new Float32Array(cfg.batch * T).fill(o.pad);
    seqs.forEach((s, b) => tokens.set(s, b * T));
    feeds.set("tokens", tokens);
    const logits = executeGraph(graph, o.backend, feeds, { outputs: ["logits"] }).outputs.get("logits")!;
    seqs.forEach((s, b) => {
      if (done[b]) return;
      const row = (b * T + s.length - 1) * V;
      let best = 0;
      for (let j = 1; j < V; j++) if (logits[row + j] > logits[row + best]) best = j;
      let next = best;
      if (o.temperature > 0) {
        for (let j = 0; j < V; j++) probs[j] = exp32((logits[row + j] - logits[row + best]) / o.temperature);
        next = rng.weighted(Array.from(probs));
      }
      s.push(next);
      if (next === o.stop) done[b] = true;
    });
  }
  return seqs.map((s, b) => s.slice(prompts[b].length));
}
