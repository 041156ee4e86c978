// MLP classifier: inputs x [batch, inDim] and integer labels y [batch]; mean softmax
// cross-entropy loss (DESIGN: Learning).
import type { Graph } from "../graph.ts";
import { type ModelBuild, type ParamSpec, param } from "../model.ts";

export interface MlpConfig {
  inDim: number;
  hidden: readonly number[];
  classes: number;
  batch: number;
  activation?: "relu" | "gelu";
}

/** Append an MLP's forward pass and loss; data inputs are named "x" and "y". */
export function buildMlp(g: Graph, cfg: MlpConfig): ModelBuild {
  const specs: ParamSpec[] = [];
  let h = g.input("x", [cfg.batch, cfg.inDim], "data");
  const y = g.input("y", [cfg.batch], "data");
  const dims = [cfg.inDim, ...cfg.hidden, cfg.classes];
  for (let l = 0; l + 1 < dims.length; l++) {
    const w = param(g, specs, `mlp.${l}.w`, [dims[l], dims[l + 1]], { kind: "normal", std: Math.sqrt(2 / dims[l]) });
    const b = param(g, specs, `mlp.${l}.b`, [dims[l + 1]], { kind: "zeros" });
    h = g.op("add", [g.op("matmul", [h, w]), b]);
    if (l + 2 < dims.length) h = g.op(cfg.activation ?? "relu", [h]);
  }
  const loss = g.op("meanAll", [g.op("softmaxXent", [h, y])]);
  return { loss, params: specs, extra: { logits: h } };
}
