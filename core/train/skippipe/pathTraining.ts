// Real training along SkipPipe paths (REFERENCE §6; skippipe:simulate-training/trainer.py): the
// proxy transformer's L layers are split into S stages; a microbatch runs stage 0's layers (with
// the embedding), then the layers of the stages on its path in path order (skipped stages
// omitted, swapped stages applied swapped), then the head and loss at stage 0. Each stage's
// gradient is the mean over the microbatches that visited it (the stage's data-parallel
// all-reduce), then one AdamW step. Evaluation runs the full order, or a subset of stages.
import { exp } from "../../des/math.ts";
import type { RngStreams } from "../../des/rng.ts";
import type { Backend } from "../../ml/backend.ts";
import { MarkovCorpus, type TokenWindows } from "../../ml/data/markovCorpus.ts";
import { executeGraph } from "../../ml/execute.ts";
import type { Graph } from "../../ml/graph.ts";
import { type ModelBuild, type ParamSpec, initParams } from "../../ml/model.ts";
import { type TransformerConfig, buildTransformerLM, transformerBlock, transformerEmbed, transformerHead } from "../../ml/models/transformer.ts";
import { ReplicaTrainer } from "../../ml/replicaTrainer.ts";
import { buildEvalGraph, buildTrainStep, buildUpdateStep, gradName } from "../../ml/trainStep.ts";

export interface PathTrainingConfig {
  vocab: number;
  context: number;
  width: number;
  heads: number;
  layers: number;
  stages: number;
  /** Sequences per microbatch. */
  microbatch: number;
  lr: number;
  warmup: number;
  weightDecay: number;
  heldOut: number;
  corpus: { order: 1 | 2; concentration: number };
}

/** The LM over a stage order: stage 0, then `path` (stages after 0, in path order), then the head. */
export function pathModel(cfg: TransformerConfig, layersPerStage: number, path: readonly number[]): (g: Graph) => ModelBuild {
  return (g) => {
    const specs: ParamSpec[] = [];
    let x = transformerEmbed(g, specs, cfg);
    for (const s of [0, ...path]) for (let l = s * layersPerStage; l < (s + 1) * layersPerStage; l++) x = transformerBlock(g, specs, x, cfg, l);
    const { loss, logits } = transformerHead(g, specs, x, cfg);
    return { loss, params: specs, extra: { logits } };
  };
}

/** One arm's model, trained along given paths: its own weights and AdamW state. */
export class PathTrainer {
  private readonly updater: ReplicaTrainer;
  private readonly grads = new Map<string, { graph: Graph; names: string[] }>();
  private readonly evals = new Map<string, Graph>();
  private readonly specs: ParamSpec[];
  steps = 0;

  constructor(
    readonly cfg: PathTrainingConfig,
    private readonly backend: Backend,
    init: ReadonlyMap<string, Float32Array>,
    private readonly totalSteps: number,
  ) {
    this.specs = buildEvalGraph((g) => buildTransformerLM(g, this.tcfg(1))).params;
    this.updater = new ReplicaTrainer(buildUpdateStep(this.specs, { kind: "adamw", weightDecay: cfg.weightDecay }), backend, 1, init);
  }

  tcfg(batch: number): TransformerConfig {
    const c = this.cfg;
    return { vocab: c.vocab, context: c.context, width: c.width, heads: c.heads, layers: c.layers, batch };
  }

  /** One step: microbatch i runs paths[i] on data windows[i]; returns the mean training loss. */
  step(paths: readonly (readonly number[])[], windows: readonly TokenWindows[]): number {
    const L = this.cfg.layers / this.cfg.stages;
    // Microbatches with the same path run as one batch (mean loss over it = mean of their losses).
    const byPath = new Map<string, number[]>();
    paths.forEach((p, i) => {
      const key = p.join(",");
      (byPath.get(key) ?? byPath.set(key, []).get(key)!).push(i);
    });
    const sums = new Map<string, Float32Array>();
    const counts = new Map<string, number>();
    let lossSum = 0;
    const T = this.cfg.context;
    const mb = this.cfg.microbatch;
    for (const key of [...byPath.keys()].sort()) {
      const idx = byPath.get(key)!;
      const path = key === "" ? [] : key.split(",").map(Number);
      const gkey = `${key}|${idx.length}`;
      let entry = this.grads.get(gkey);
      if (entry === undefined) {
        const step = buildTrainStep(pathModel(this.tcfg(mb * idx.length), L, path), null);
        entry = { graph: step.graph, names: step.params.map((p) => p.name) };
        this.grads.set(gkey, entry);
      }
      const tokens = new Float32Array(idx.length * mb * T);
      const targets = new Float32Array(idx.length * mb * T);
      idx.forEach((i, k) => {
        tokens.set(windows[i].tokens, k * mb * T);
        targets.set(windows[i].targets, k * mb * T);
      });
      const feeds = new Map<string, Float32Array>([["tokens", tokens], ["targets", targets]]);
      for (const n of entry.names) feeds.set(n, this.updater.state.get(n)!);
      const out = executeGraph(entry.graph, this.backend, feeds).outputs;
      lossSum += out.get("loss")![0] * idx.length;
      for (const n of entry.names) {
        const gr = out.get(gradName(n))!;
        const s = sums.get(n) ?? sums.set(n, new Float32Array(gr.length)).get(n)!;
        for (let j = 0; j < gr.length; j++) s[j] += gr[j] * idx.length;
        counts.set(n, (counts.get(n) ?? 0) + idx.length);
      }
    }
    const data = new Map<string, Float32Array>();
    for (const p of this.specs) {
      const s = sums.get(p.name);
      const c = counts.get(p.name) ?? 0;
      const size = this.updater.state.get(p.name)!.length;
      const g = new Float32Array(size);
      if (s !== undefined && c > 0) for (let j = 0; j < size; j++) g[j] = s[j] / c;
      data.set(gradName(p.name), g);
    }
    const t = this.steps;
    const warm = this.cfg.warmup > 0 ? Math.min(1, (t + 1) / this.cfg.warmup) : 1;
    const decay = 1 - (0.9 * t) / Math.max(1, this.totalSteps);
    this.updater.run(data, this.cfg.lr * warm * decay);
    this.steps++;
    return paths.length > 0 ? lossSum / paths.length : NaN;
  }

  /** Mean held-out loss running stage 0 then `path` (default: every stage in order). */
  heldOutLoss(held: TokenWindows, path?: readonly number[]): number {
    const S = this.cfg.stages;
    const p = path ?? Array.from({ length: S - 1 }, (_, i) => i + 1);
    const n = held.tokens.length / this.cfg.context;
    const key = p.join(",");
    let g = this.evals.get(key);
    if (g === undefined) {
      g = buildEvalGraph(pathModel(this.tcfg(n), this.cfg.layers / S, p)).graph;
      this.evals.set(key, g);
    }
    const feeds = new Map<string, Float32Array>([["tokens", held.tokens], ["targets", held.targets]]);
    for (const s of this.specs) if (g.inputNodes.some((x) => x.name === s.name)) feeds.set(s.name, this.updater.state.get(s.name)!);
    return executeGraph(g, this.backend, feeds).outputs.get("loss")![0];
  }

  /**
   * Perplexity with only `keep` of the S stages (stage 0 always kept, the rest in order), averaged
   * over every such subset: exp(mean held-out loss over subsets).
   */
  partialPerplexity(held: TokenWindows, keep: number): number {
    const S = this.cfg.stages;
    const subsets: number[][] = [];
    const rec = (start: number, cur: number[]) => {
      if (cur.length === keep - 1) return void subsets.push([...cur]);
      for (let s = start; s < S; s++) rec(s + 1, [...cur, s]);
    };
    rec(1, []);
    let sum = 0;
    for (const sub of subsets) sum += this.heldOutLoss(held, sub);
    return exp(sum / subsets.length);
  }

  paramsSnapshot(): Map<string, Float32Array> {
    return new Map(this.specs.map((p) => [p.name, this.updater.state.get(p.name)!]));
  }
}

/** The corpus, the shared initial weights and the held-out windows of a training comparison. */
export function trainingSetup(cfg: PathTrainingConfig, streams: RngStreams): { corpus: MarkovCorpus; init: Map<string, Float32Array>; held: TokenWindows } {
  const corpus = new MarkovCorpus({ vocab: cfg.vocab, order: cfg.corpus.order, concentration: cfg.corpus.concentration }, streams.stream("skippipe", "corpus"));
  const specs = buildEvalGraph((g) => buildTransformerLM(g, { vocab: cfg.vocab, context: cfg.context, width: cfg.width, heads: cfg.heads, layers: cfg.layers, batch: 1 })).params;
  const init = initParams(specs, streams.stream("skippipe", "init"));
  const held = corpus.sample(cfg.heldOut, cfg.context, streams.stream("skippipe", "held-out"));
  return { corpus, init, held };
}
