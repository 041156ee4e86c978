// GRPO's clipped surrogate as graph ops (REFERENCE §7), for num_iterations > 1: several updates on
// the same rollouts with the sampling policy's per-token log-probabilities held fixed. The node's
// transformer (same parameters, names and initialisation as buildTransformerLM) ends in per-token
// cross-entropy xent = -log p; grpoCoef(xent, oldLogp, advantages) is A * ratio where the
// unclipped term of min(ratio * A, clip(ratio, 1 - 0.2, 1 + 0.28) * A) is the minimum, else 0,
// with ratio = exp(log p - old log p), a stop-gradient; loss = mean(coef * xent * weights), whose
// gradient is the negated token-mean clipped surrogate's. `weights` carries the completion mask
// and the token-mean scale (B*T / completion tokens), as fillTrainFeeds writes it.
import type { Graph } from "../../ml/graph.ts";
import type { ModelBuild, ParamSpec } from "../../ml/model.ts";
import { param } from "../../ml/model.ts";
import { transformerBlock, transformerEmbed, type TransformerConfig } from "../../ml/models/transformer.ts";
import { CLIP_HIGH, CLIP_LOW } from "./grpo.ts";

/** Node name of the per-token cross-entropy (the old log-probabilities are its negation). */
export const XENT_NODE = "grpo.xent";

/**
 * The policy with the GRPO head. Data inputs: tokens, targets, weights, oldLogp, advantages
 * (each [batch, context]). Extra outputs `xent` and `coef` ([batch * context]).
 */
export function buildGrpoLM(g: Graph, cfg: TransformerConfig, low = CLIP_LOW, high = CLIP_HIGH): ModelBuild {
  const specs: ParamSpec[] = [];
  const { batch: B, context: T, width: D, vocab: V } = cfg;
  let x = transformerEmbed(g, specs, cfg);
  for (let l = 0; l < cfg.layers; l++) x = transformerBlock(g, specs, x, cfg, l);
  // The head of transformer.ts (same parameter names, shapes and initialisation order).
  const targets = g.input("targets", [B, T], "data");
  const lng = param(g, specs, "lnf.g", [D], { kind: "ones" });
  const lnb = param(g, specs, "lnf.b", [D], { kind: "zeros" });
  const wout = param(g, specs, "head.w", [D, V], { kind: "normal", std: 1 / Math.sqrt(D) });
  const logits = g.op("matmul", [g.op("layernorm", [x, lng, lnb], { eps: 1e-5 }), wout]);
  const flat = (name: string) => g.op("reshape", [g.input(name, [B, T], "data")], { shape: [B * T] });
  const xent = g.op("softmaxXent", [logits, g.op("reshape", [targets], { shape: [B * T] })], {}, XENT_NODE);
  const coef = g.op("grpoCoef", [xent, flat("oldLogp"), flat("advantages")], { low, high });
  const perToken = g.op("mul", [g.op("mul", [xent, coef]), flat("weights")]);
  return { loss: g.op("meanAll", [perToken]), params: specs, extra: { xent, coef } };
}
