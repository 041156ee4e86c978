// SkipPipe training vs the full pipeline at equal iterations (REFERENCE §6, §10 claim 3): each
// executed iteration of the trained scheme is one step of the proxy model along the paths of the
// microbatches that completed (lost ones omitted), and one step of a full-pipeline twin on the
// same windows (every microbatch through every stage). Both start from the same weights.
import { exp } from "../../des/math.ts";
import type { RngStreams } from "../../des/rng.ts";
import type { Backend } from "../../ml/backend.ts";
import type { MarkovCorpus, TokenWindows } from "../../ml/data/markovCorpus.ts";
import type { SkippipeParams } from "./params.ts";
import type { IterationResult } from "./pipelineExecutor.ts";
import { PathTrainer, type PathTrainingConfig, trainingSetup } from "./pathTraining.ts";

type TrainingParams = NonNullable<SkippipeParams["training"]>;

export class TrainingComparison {
  private readonly skip: PathTrainer;
  private readonly full: PathTrainer;
  private readonly corpus: MarkovCorpus;
  private readonly held: TokenWindows;
  private readonly cfg: PathTrainingConfig;
  private readonly curve: [number, number, number][] = [];
  private lastTrain = { skip: NaN, full: NaN };
  private microbatches = 0;
  private readonly initialLoss: number;

  constructor(
    p: SkippipeParams,
    private readonly t: TrainingParams,
    backend: Backend,
    private readonly streams: RngStreams,
  ) {
    const S = p.stages.length;
    this.cfg = { vocab: t.vocab, context: t.context, width: t.width, heads: t.heads, layers: S * t.layersPerStage, stages: S, microbatch: t.microbatch, lr: t.lr, warmup: t.warmup, weightDecay: t.weightDecay, heldOut: t.heldOut, corpus: t.corpus };
    const setup = trainingSetup(this.cfg, streams);
    this.corpus = setup.corpus;
    this.held = setup.held;
    this.skip = new PathTrainer(this.cfg, backend, setup.init, p.iterations);
    this.full = new PathTrainer(this.cfg, backend, setup.init, p.iterations);
    this.initialLoss = this.full.heldOutLoss(this.held);
  }

  step(r: IterationResult, it: number): void {
    const S = this.cfg.stages;
    const windows = r.completedPaths.map((_, i) => this.corpus.sample(this.cfg.microbatch, this.cfg.context, this.streams.stream("skippipe", "data", it, i)));
    const paths: number[][] = [];
    const used: TokenWindows[] = [];
    r.completedPaths.forEach((p, i) => {
      if (p === null) return;
      paths.push(p);
      used.push(windows[i]);
    });
    this.microbatches += paths.length;
    const all = Array.from({ length: S - 1 }, (_, i) => i + 1);
    this.lastTrain = { skip: paths.length > 0 ? this.skip.step(paths, used) : NaN, full: this.full.step(windows.map(() => all), windows) };
    if (it % this.t.evalEvery === this.t.evalEvery - 1) this.curve.push([it + 1, this.skip.heldOutLoss(this.held), this.full.heldOutLoss(this.held)]);
  }

  summary(): Record<string, unknown> {
    const S = this.cfg.stages;
    const arm = (tr: PathTrainer, trainLoss: number) => {
      const loss = tr.heldOutLoss(this.held);
      const ppl = exp(loss);
      const partial: Record<string, unknown> = {};
      for (const f of this.t.partial) {
        const keep = Math.max(1, Math.round(f * S));
        const pp = tr.partialPerplexity(this.held, keep);
        partial[`p${Math.round(f * 100)}`] = { stagesKept: keep, perplexity: pp, vsFull: pp / ppl - 1 };
      }
      return { steps: tr.steps, heldOutLoss: loss, perplexity: ppl, trainLoss, partial };
    };
    const skip = arm(this.skip, this.lastTrain.skip);
    const full = arm(this.full, this.lastTrain.full);
    return {
      scheme: this.t.scheme,
      proxy: { ...this.cfg },
      microbatchesTrained: this.microbatches,
      initialHeldOutLoss: this.initialLoss,
      skippipe: skip,
      full,
      heldOutLossVsFull: skip.heldOutLoss / full.heldOutLoss - 1,
      curve: this.curve,
    };
  }
}
