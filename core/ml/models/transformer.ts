// Small decoder-only transformer LM (pre-LayerNorm GPT shape): token + position embeddings,
// L blocks of causal multi-head self-attention and a GELU MLP, a final LayerNorm and an
// untied output head; mean next-token cross-entropy (DESIGN: Learning). Blocks are built one
// at a time, so a pipeline stage is just a range of layers (buildTransformerStage).
import { ConfigError } from "../../errors.ts";
import type { Graph } from "../graph.ts";
import { type ModelBuild, type ParamSpec, param } from "../model.ts";

export interface TransformerConfig {
  vocab: number;
  /** Context length T (tokens per sequence). */
  context: number;
  /** Model width D. */
  width: number;
  heads: number;
  layers: number;
  /** Sequences per replica per step. */
  batch: number;
  /** MLP hidden width = mlpRatio * width (default 4). */
  mlpRatio?: number;
  /**
   * Per-token loss weights from data input "weights" [B, T]: loss = mean(weight * xent). Masks
   * prompt/padding tokens, or carries advantages for policy-gradient (GRPO-style) training.
   */
  weighted?: boolean;
}

const EPS = 1e-5;

function check(cfg: TransformerConfig): void {
  const ints = [cfg.vocab, cfg.context, cfg.width, cfg.heads, cfg.layers, cfg.batch];
  if (!ints.every((v) => Number.isSafeInteger(v) && v > 0) || cfg.width % cfg.heads !== 0) {
    throw new ConfigError(`transformer: bad config ${JSON.stringify(cfg)} (positive integers; width divisible by heads)`);
  }
}

/** Token + position embeddings of input "tokens" [B, T]: returns the residual stream [B*T, D]. */
export function transformerEmbed(g: Graph, specs: ParamSpec[], cfg: TransformerConfig): number {
  const { batch: B, context: T, width: D } = cfg;
  const tokens = g.input("tokens", [B, T], "data");
  const wte = param(g, specs, "tok.emb", [cfg.vocab, D], { kind: "normal", std: 0.1 });
  const wpe = param(g, specs, "pos.emb", [T, D], { kind: "normal", std: 0.1 });
  const x = g.op("add", [g.op("embedding", [wte, tokens]), wpe]);
  return g.op("reshape", [x], { shape: [B * T, D] });
}

/** Split [B*T, D] into heads [B, H, T, D/H]. */
function heads(g: Graph, x: number, cfg: TransformerConfig): number {
  const { batch: B, context: T, width: D, heads: H } = cfg;
  return g.op("transpose", [g.op("reshape", [x], { shape: [B, T, H, D / H] })], { perm: [0, 2, 1, 3] });
}

/** One pre-LN block on the residual stream x [B*T, D]; parameters named "block.<l>.*". */
export function transformerBlock(g: Graph, specs: ParamSpec[], x: number, cfg: TransformerConfig, l: number): number {
  const { batch: B, context: T, width: D, heads: H } = cfg;
  const F = (cfg.mlpRatio ?? 4) * D;
  const p = (n: string, shape: number[], init: ParamSpec["init"]) => param(g, specs, `block.${l}.${n}`, shape, init);
  const w = (fanIn: number, scale = 1) => ({ kind: "normal" as const, std: scale / Math.sqrt(fanIn) });
  const residScale = 1 / Math.sqrt(2 * cfg.layers);
  const ln1g = p("ln1.g", [D], { kind: "ones" });
  const ln1b = p("ln1.b", [D], { kind: "zeros" });
  const wq = p("attn.wq", [D, D], w(D));
  const wk = p("attn.wk", [D, D], w(D));
  const wv = p("attn.wv", [D, D], w(D));
  const wo = p("attn.wo", [D, D], w(D, residScale));
  const bo = p("attn.bo", [D], { kind: "zeros" });
  const ln2g = p("ln2.g", [D], { kind: "ones" });
  const ln2b = p("ln2.b", [D], { kind: "zeros" });
  const w1 = p("mlp.w1", [D, F], w(D));
  const b1 = p("mlp.b1", [F], { kind: "zeros" });
  const w2 = p("mlp.w2", [F, D], w(F, residScale));
  const b2 = p("mlp.b2", [D], { kind: "zeros" });

  // Causal self-attention: softmax(Q K^T / sqrt(dh), j <= i) V.
  const h = g.op("layernorm", [x, ln1g, ln1b], { eps: EPS });
  const q = heads(g, g.op("matmul", [h, wq]), cfg);
  const k = heads(g, g.op("matmul", [h, wk]), cfg);
  const v = heads(g, g.op("matmul", [h, wv]), cfg);
  const scores = g.op("scale", [g.op("matmul", [q, k], { transB: true })], { s: 1 / Math.sqrt(D / H) });
  const att = g.op("matmul", [g.op("causalSoftmax", [scores]), v]);
  const merged = g.op("reshape", [g.op("transpose", [att], { perm: [0, 2, 1, 3] })], { shape: [B * T, D] });
  x = g.op("add", [x, g.op("add", [g.op("matmul", [merged, wo]), bo])]);
  // MLP.
  const h2 = g.op("layernorm", [x, ln2g, ln2b], { eps: EPS });
  const m = g.op("gelu", [g.op("add", [g.op("matmul", [h2, w1]), b1])]);
  return g.op("add", [x, g.op("add", [g.op("matmul", [m, w2]), b2])]);
}

/** Final LayerNorm, output head and mean cross-entropy against input "targets" [B, T]. */
export function transformerHead(g: Graph, specs: ParamSpec[], x: number, cfg: TransformerConfig): { loss: number; logits: number } {
  const { batch: B, context: T, width: D, vocab: V } = cfg;
  const targets = g.input("targets", [B, T], "data");
  const lng = param(g, specs, "lnf.g", [D], { kind: "ones" });
  const lnb = param(g, specs, "lnf.b", [D], { kind: "zeros" });
  const wout = param(g, specs, "head.w", [D, V], { kind: "normal", std: 1 / Math.sqrt(D) });
  const logits = g.op("matmul", [g.op("layernorm", [x, lng, lnb], { eps: EPS }), wout]);
  const flat = g.op("reshape", [targets], { shape: [B * T] });
  let perToken = g.op("softmaxXent", [logits, flat]);
  if (cfg.weighted) perToken = g.op("mul", [perToken, g.op("reshape", [g.input("weights", [B, T], "data")], { shape: [B * T] })]);
  return { loss: g.op("meanAll", [perToken]), logits };
}

/** The whole LM: data inputs "tokens" and "targets" ([batch, context] integer ids). */
export function buildTransformerLM(g: Graph, cfg: TransformerConfig): ModelBuild {
  check(cfg);
  const specs: ParamSpec[] = [];
  let x = transformerEmbed(g, specs, cfg);
  for (let l = 0; l < cfg.layers; l++) x = transformerBlock(g, specs, x, cfg, l);
  const { loss, logits } = transformerHead(g, specs, x, cfg);
  return { loss, params: specs, extra: { logits } };
}

/**
 * Forward pass of layers [from, to) as one pipeline stage. The first stage embeds "tokens";
 * later stages take input "acts" [B*T, D]. The last stage ends in the loss; others output
 * their activations as node "acts.out".
 */
export function buildTransformerStage(g: Graph, cfg: TransformerConfig, from: number, to: number): { params: ParamSpec[]; out: number; isLast: boolean } {
  check(cfg);
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && 0 <= from && from < to && to <= cfg.layers)) {
    throw new ConfigError(`transformer stage: bad layer range [${from}, ${to}) of ${cfg.layers}`);
  }
  const specs: ParamSpec[] = [];
  let x = from === 0 ? transformerEmbed(g, specs, cfg) : g.input("acts", [cfg.batch * cfg.context, cfg.width], "data");
  for (let l = from; l < to; l++) x = transformerBlock(g, specs, x, cfg, l);
  if (to === cfg.layers) return { params: specs, out: transformerHead(g, specs, x, cfg).loss, isLast: true };
  return { params: specs, out: g.op("scale", [x], { s: 1 }, "acts.out"), isLast: false };
}

/**
 * A pipeline stage as a trainable model (DESIGN: SkipPipe): the last stage ends in the LM loss;
 * an inner stage's "loss" is sum(out * g) with g the upstream gradient of its output, fed as
 * data input "acts.grad", so its parameter gradients are exactly the backpropagated ones. A
 * stage after the first also outputs `grad:acts` for the stage before it.
 */
export function transformerStageModel(cfg: TransformerConfig, from: number, to: number): (g: Graph) => ModelBuild {
  return (g) => {
    const s = buildTransformerStage(g, cfg, from, to);
    const inputGrads = from > 0 ? ["acts"] : [];
    if (s.isLast) return { loss: s.out, params: s.params, inputGrads };
    const upstream = g.input("acts.grad", [cfg.batch * cfg.context, cfg.width], "data");
    const loss = g.op("sumAll", [g.op("mul", [s.out, upstream])]);
    return { loss, params: s.params, inputGrads, extra: { "acts.out": s.out } };
  };
}
