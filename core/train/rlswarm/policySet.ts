// The swarm's policies: one small transformer per node (REFERENCE §7), held as replicas, replica
// dimension first (DESIGN: Learning). Generation and GRPO steps run batched over whichever nodes
// ask at once: their parameter slices are gathered into one replica batch, run as one graph
// execution, and the results written back, so a node's numbers never depend on who it was
// batched with (its own RNG stream, its own Adam step count).
import type { Rng } from "../../des/rng.ts";
import { ConfigError } from "../../errors.ts";
import type { Backend } from "../../ml/backend.ts";
import { executeGraph } from "../../ml/execute.ts";
import { initParams } from "../../ml/model.ts";
import { buildTransformerLM, type TransformerConfig } from "../../ml/models/transformer.ts";
import { HYPER_INPUT, nextName, optimizerHyper, type OptimizerConfig } from "../../ml/optimizers.ts";
import { exp32 } from "../../ml/repops/math32.ts";
import type { Graph } from "../../ml/graph.ts";
import { buildEvalGraph, buildTrainStep, type TrainStepGraph } from "../../ml/trainStep.ts";
import { fillTrainFeeds, type TrainRow } from "./grpo.ts";
import { buildGrpoLM } from "./grpoGraph.ts";

export interface PolicyShape {
  vocab: number;
  context: number;
  width: number;
  heads: number;
  layers: number;
  /** Prompts generated per node per round (I * L). */
  genBatch: number;
  /** Training rows per node per round ((I + J) * L). */
  trainBatch: number;
  pad: number;
  eos: number;
}

export interface GenRequest {
  node: number;
  prompts: number[][];
  maxNew: number;
  rng: Rng;
}

export const ADAM: OptimizerConfig = { kind: "adamw", weightDecay: 0 };

export class PolicySet {
  readonly nodes: number;
  readonly shape: PolicyShape;
  private readonly gen: Graph;
  readonly train: TrainStepGraph;
  /** Parameter and Adam state values, nodes * size each, by input name. */
  readonly state = new Map<string, Float32Array>();
  private readonly sizes = new Map<string, number>();
  /** Adam steps taken by each node. */
  readonly steps: Int32Array;
  /** Completion tokens with a non-zero advantage trained with iterations > 1, and those the clip zeroed. */
  readonly clip = { tokens: 0, clipped: 0 };
  private grpo: TrainStepGraph | null = null;
  private readonly grpoConfig: TransformerConfig;

  constructor(shape: PolicyShape, nodes: number, private readonly backend: Backend, init: ReadonlyMap<string, Float32Array>) {
    this.nodes = nodes;
    this.shape = shape;
    const cfg = (batch: number, weighted: boolean): TransformerConfig => ({ vocab: shape.vocab, context: shape.context, width: shape.width, heads: shape.heads, layers: shape.layers, batch, weighted });
    this.gen = buildEvalGraph((g) => buildTransformerLM(g, cfg(shape.genBatch, false))).graph;
    this.train = buildTrainStep((g) => buildTransformerLM(g, cfg(shape.trainBatch, true)), ADAM);
    this.grpoConfig = cfg(shape.trainBatch, true);
    for (const p of this.train.params) {
      const v = init.get(p.name);
      if (!v) throw new ConfigError(`PolicySet: no initial value for ${p.name}`);
      this.sizes.set(p.name, v.length);
      const all = new Float32Array(v.length * nodes);
      for (let n = 0; n < nodes; n++) all.set(v, n * v.length);
      this.state.set(p.name, all);
    }
    for (const s of this.train.states) {
      const size = this.sizes.get(s.slice(s.indexOf(".", 4) + 1))!;
      this.sizes.set(s, size);
      this.state.set(s, new Float32Array(size * nodes));
    }
    this.steps = new Int32Array(nodes);
  }

  /** Shared starting weights of a model of this shape (the "base model" every node downloads). */
  static initial(shape: PolicyShape, rng: Rng): Map<string, Float32Array> {
    const step = buildTrainStep((g) => buildTransformerLM(g, { vocab: shape.vocab, context: shape.context, width: shape.width, heads: shape.heads, layers: shape.layers, batch: 1, weighted: true }), ADAM);
    return initParams(step.params, rng);
  }

  private gather(names: readonly string[], nodes: readonly number[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const name of names) {
      const size = this.sizes.get(name)!;
      const all = this.state.get(name)!;
      const v = new Float32Array(size * nodes.length);
      nodes.forEach((n, k) => v.set(all.subarray(n * size, (n + 1) * size), k * size));
      out.set(name, v);
    }
    return out;
  }

  /** One node's parameter values (a copy), e.g. for hashing or evaluation. */
  nodeParams(node: number): Map<string, Float32Array> {
    return this.gather(this.train.params.map((p) => p.name), [node]);
  }

  /** One node's optimizer state values by name (copies), e.g. a step job's initial state. */
  nodeStates(node: number): Map<string, Float32Array> {
    return this.gather(this.train.states, [node]);
  }

  /** Writes a node's parameters then optimizer states (GraphProgram state order) and counts one step. */
  setNodeState(node: number, state: readonly Float32Array[]): void {
    const names = [...this.train.params.map((p) => p.name), ...this.train.states];
    names.forEach((name, k) => {
      const size = this.sizes.get(name)!;
      this.state.get(name)!.set(state[k].subarray(0, size), node * size);
    });
    this.steps[node] += 1;
  }

  /**
   * Samples completions for every request in one batched forward per new token (temperature 1,
   * reproducible exp; draws from each request's own stream). Requests need distinct nodes and
   * exactly genBatch prompts each; returns completions per request.
   */
  generate(reqs: readonly GenRequest[]): number[][][] {
    if (reqs.length === 0) return [];
    const { context: T, vocab: V, genBatch: B, pad, eos } = this.shape;
    for (const r of reqs) if (r.prompts.length !== B) throw new ConfigError(`PolicySet.generate: node ${r.node} sent ${r.prompts.length} prompts, expected ${B}`);
    const K = reqs.length;
    const feeds = this.gather(this.train.params.map((p) => p.name), reqs.map((r) => r.node));
    feeds.set("targets", new Float32Array(K * B * T));
    const seqs = reqs.map((r) => r.prompts.map((p) => [...p]));
    const lens = reqs.map((r) => r.prompts.map((p) => p.length));
    const done = reqs.map((r) => r.prompts.map(() => false));
    const maxNew = Math.max(...reqs.map((r) => r.maxNew));
    const probs = new Array<number>(V);
    for (let step = 0; step < maxNew; step++) {
      const tokens = new Float32Array(K * B * T).fill(pad);
      seqs.forEach((rs, k) => rs.forEach((s, b) => tokens.set(s.slice(0, T), (k * B + b) * T)));
      feeds.set("tokens", tokens);
      const logits = executeGraph(this.gen, this.backend, feeds, { replicas: K, outputs: ["logits"] }).outputs.get("logits")!;
      let active = false;
      seqs.forEach((rs, k) => rs.forEach((s, b) => {
        if (done[k][b] || step >= reqs[k].maxNew || s.length >= T) return;
        const row = ((k * B + b) * T + s.length - 1) * V;
        let best = 0;
        for (let j = 1; j < V; j++) if (logits[row + j] > logits[row + best]) best = j;
        for (let j = 0; j < V; j++) probs[j] = exp32(logits[row + j] - logits[row + best]);
        const next = reqs[k].rng.weighted(probs);
        s.push(next);
        if (next === eos) done[k][b] = true;
        else active = true;
      }));
      if (!active) break;
    }
    return seqs.map((rs, k) => rs.map((s, b) => s.slice(lens[k][b])));
  }

  /**
   * One GRPO (Adam) step for each listed node on its rows, batched; other nodes are untouched.
   * With iterations > 1, that many steps on the same rows through the clipped-surrogate graph
   * (grpoGraph.ts), the old log-probabilities taken once before the first.
   */
  step(batch: readonly { node: number; rows: readonly TrainRow[] }[], lr: number, iterations = 1): void {
    if (batch.length === 0) return;
    if (iterations > 1) return this.clippedSteps(batch, lr, iterations);
    const { context: T, trainBatch: B, pad } = this.shape;
    const K = batch.length;
    const names = [...this.train.params.map((p) => p.name), ...this.train.states];
    const feeds = this.gather(names, batch.map((b) => b.node));
    const data = { tokens: new Float32Array(K * B * T), targets: new Float32Array(K * B * T), weights: new Float32Array(K * B * T) };
    batch.forEach((b, k) => fillTrainFeeds(b.rows, B, T, pad, data, k * B * T));
    feeds.set("tokens", data.tokens);
    feeds.set("targets", data.targets);
    feeds.set("weights", data.weights);
    const one = optimizerHyper(ADAM, 1, lr).length;
    const hp = new Float32Array(one * K);
    batch.forEach((b, k) => hp.set(optimizerHyper(ADAM, this.steps[b.node] + 1, lr), k * one));
    feeds.set(HYPER_INPUT, hp);
    const out = executeGraph(this.train.graph, this.backend, feeds, { replicas: K }).outputs;
    for (const name of names) {
      const size = this.sizes.get(name)!;
      const all = this.state.get(name)!;
      const next = out.get(nextName(name))!;
      batch.forEach((b, k) => all.set(next.subarray(k * size, (k + 1) * size), b.node * size));
    }
    for (const b of batch) this.steps[b.node] += 1;
  }

  private clippedSteps(batch: readonly { node: number; rows: readonly TrainRow[] }[], lr: number, iterations: number): void {
    this.grpo ??= buildTrainStep((g) => buildGrpoLM(g, this.grpoConfig), ADAM);
    const step = this.grpo;
    const { context: T, trainBatch: B, pad } = this.shape;
    const K = batch.length;
    const names = [...step.params.map((p) => p.name), ...step.states];
    const feeds = this.gather(names, batch.map((b) => b.node));
    const n = K * B * T;
    const data = { tokens: new Float32Array(n), targets: new Float32Array(n), weights: new Float32Array(n), advantages: new Float32Array(n) };
    batch.forEach((b, k) => fillTrainFeeds(b.rows, B, T, pad, data, k * B * T));
    for (const [name, v] of Object.entries(data)) feeds.set(name, v);
    // The sampling policy's log p: the same graph's per-token cross-entropy before any update, so
    // the first iteration's ratio is exp(0) = 1 exactly.
    feeds.set("oldLogp", new Float32Array(n));
    const xent = executeGraph(step.graph, this.backend, feeds, { replicas: K, outputs: ["xent"] }).outputs.get("xent")!;
    feeds.set("oldLogp", Float32Array.from(xent, (x) => 0 - x));
    const one = optimizerHyper(ADAM, 1, lr).length;
    for (let it = 0; it < iterations; it++) {
      const hp = new Float32Array(one * K);
      batch.forEach((b, k) => hp.set(optimizerHyper(ADAM, this.steps[b.node] + 1 + it, lr), k * one));
      feeds.set(HYPER_INPUT, hp);
      const out = executeGraph(step.graph, this.backend, feeds, { replicas: K, outputs: [...names.map(nextName), "coef"] }).outputs;
      const coef = out.get("coef")!;
      for (let i = 0; i < n; i++) {
        if (data.weights[i] === 0 || data.advantages[i] === 0) continue;
        this.clip.tokens++;
        if (coef[i] === 0) this.clip.clipped++;
      }
      for (const name of names) feeds.set(name, out.get(nextName(name))!);
    }
    for (const name of names) {
      const size = this.sizes.get(name)!;
      const all = this.state.get(name)!;
      const next = feeds.get(name)!;
      batch.forEach((b, k) => all.set(next.subarray(k * size, (k + 1) * size), b.node * size));
    }
    for (const b of batch) this.steps[b.node] += iterations;
  }

  /** Supervised warm start of the shared base model on (prompt, answer) rows: Adam, `steps` steps. */
  static pretrain(shape: PolicyShape, backend: Backend, init: Map<string, Float32Array>, rows: (step: number) => TrainRow[], steps: number, lr: number): Map<string, Float32Array> {
    const one = new PolicySet(shape, 1, backend, init);
    for (let s = 0; s < steps; s++) one.step([{ node: 0, rows: rows(s) }], lr);
    return one.nodeParams(0);
  }
}
