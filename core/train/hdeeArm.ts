// HDEE (REFERENCE §8): a seed model per expert width trained on the mixture of all domains, then
// one expert per domain branched from it and trained on that domain alone, with no communication,
// then ensembled at evaluation. Allocation "equal" gives every expert the same size and steps;
// "iterations" and "size" give each domain steps or hidden width in proportion to its weight at
// the same total expert training FLOPs (heterogeneous ensembles). On each domain's held-out set
// every ensemble method of hdeeEnsemble.ts is scored; the arm's `ensemble` is heldOutLoss.
// Training runs in stretches of evalEvery steps (default: one), the ensemble evaluated after each.
// With adversaries or verification (armProtocol.ts) each expert's stretch is a protocol job on its
// own domain's data from its accepted weights; a challenged stretch is rejected (the expert keeps
// its weights from before it) and the expert sits out of training and of the ensemble while the
// game runs; one that loses is out for good (REFERENCE §1, §3, §8).
import { log } from "../des/math.ts";
import type { Process } from "../des/process.ts";
import { armProtocolFor } from "./armProtocol.ts";
import { engineBackend, scalesFor, type ArmRun } from "./armSetup.ts";
import { ensembleLosses, ensembleWeights, type EnsembleMethod } from "./hdeeEnsemble.ts";
import { makeTask, type ProxyTask } from "./proxyTask.ts";
import { ReplicaSet } from "./replicaSet.ts";
import { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { HdeeParams } from "./trainParams.ts";
import { ConfigError } from "../errors.ts";

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface Expert {
  domain: number;
  hidden: number;
  steps: number;
  set: ReplicaSet;
  slot: number;
  params: Float32Array;
}

/** Steps and hidden width of each domain's expert under an allocation (equal total FLOPs). */
export function allocate(p: Pick<HdeeParams, "allocation" | "steps" | "hidden" | "domains">): { steps: number[]; hidden: number[] } {
  const D = p.domains.length;
  const total = p.domains.reduce((a, d) => a + d.weight, 0);
  const share = p.domains.map((d) => (d.weight * D) / total);
  if (p.allocation === "iterations") return { steps: share.map((s) => Math.max(1, Math.round(p.steps * s))), hidden: share.map(() => p.hidden) };
  if (p.allocation === "size") return { steps: share.map(() => p.steps), hidden: share.map((s) => Math.max(1, Math.round(p.hidden * s))) };
  return { steps: share.map(() => p.steps), hidden: share.map(() => p.hidden) };
}

export { ensembleWeights };

const METHOD_KEYS: Record<EnsembleMethod, string> = { "cached-prior": "cachedPrior", "uniform-prior": "uniformPrior", "log-average": "logAverage", "validation-softmax": "validationSoftmax" };

/** log p(y_i) of the weights at params[offset..] on n examples (floored at 1e-300: a poisoned expert's 0 stays finite). */
export function labelLogProbs(mlp: ReplicaSet["mlp"], params: Float32Array, x: Float32Array, y: Int32Array, n: number): Float64Array {
  const probs = new Float64Array(mlp.shape.classes);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mlp.probabilities(params, 0, x, i * mlp.shape.inputs, probs);
    out[i] = log(Math.max(probs[y[i]], 1e-300));
  }
  return out;
}

/** Seed steps by default: gensyn-ai/hdee's ratio, 20,000 seed steps per 600 expert steps (REFERENCE §8). */
export function seedStepsFor(expertSteps: number): number {
  return Math.round((expertSteps * 20000) / 600);
}

export function hdeeArm(ctx: TrainContext, name: string, p: HdeeParams): ArmRun {
  const D = p.domains.length;
  if (D > ctx.world.nodes.length) throw new ConfigError(`workload ${name}: ${D} domains need ${D} nodes, the world has ${ctx.world.nodes.length}`);
  const env = ctx.env;
  const { steps, hidden } = allocate(p);
  const backend = engineBackend(ctx, name, p.engine);
  // Each domain: its own teacher; the pool's tail is the validation split for ensemble weights.
  const tasks: ProxyTask[] = p.domains.map((d) =>
    makeTask({ ...p.task, teacherHidden: d.teacherHidden, sharpness: d.sharpness, poolSize: p.task.poolSize + p.validationSize }, ctx.streams, `hdee:${d.name}`),
  );
  const experts: Expert[] = [];
  const widths = [...new Set(hidden)].sort((a, b) => a - b);
  // Expert d on node d; the other nodes verify. Protocol jobs need one batched set (one width).
  const protocolOn = p.adversaries !== null || p.verification.rate > 0;
  if (protocolOn && widths.length > 1) throw new ConfigError(`workload ${name}: adversaries or verification need experts of one width; allocation ${p.allocation} gives widths ${widths.join(", ")}`);
  for (const width of widths) {
    const members = hidden.map((h, d) => (h === width ? d : -1)).filter((d) => d >= 0);
    // One batched set per width; each member's shard is its own domain's slice of a joint pool.
    const task = jointTask(members.map((d) => tasks[d]), p.task.poolSize);
    const shards = members.map((_, s) => Int32Array.from({ length: p.task.poolSize }, (_, i) => s * p.task.poolSize + i));
    const set = new ReplicaSet({ task, shards, workers: members.length, batch: p.batch, hidden: width, inner: p.inner, streams: ctx.streams, arm: `${name}:h${width}`, totalSteps: Math.max(...members.map((d) => steps[d])), backend });
    members.forEach((d, slot) => {
      set.load(set.initialWeights(ctx.streams, `${name}:${p.domains[d].name}`), [slot]);
      experts.push({ domain: d, hidden: width, steps: steps[d], set, slot, params: set.theta.subarray(slot * set.P, (slot + 1) * set.P) });
    });
  }
  experts.sort((a, b) => a.domain - b.domain);
  const account = new TrainAccount(ctx, name, D, undefined);
  const base = scalesFor(experts[0].set.mlp, p.batch, p.virtual);
  const refFlops = experts.find((x) => x.hidden === p.hidden)?.set.mlp.trainFlopsPerExample;
  const flopsOfMlp = (mlp: ReplicaSet["mlp"]) => (base.flopsPerStep * mlp.trainFlopsPerExample) / (refFlops ?? mlp.trainFlopsPerExample);
  const flopsOf = (e: Expert) => flopsOfMlp(e.set.mlp);

  // Seed phase (REFERENCE §8): one seed per width on the mixture of every domain's pool; the
  // experts of that width branch from it (weights only; their AdamW state starts fresh).
  const seeds: { width: number; set: ReplicaSet }[] = [];
  const seedSteps = p.seed.steps ?? seedStepsFor(p.steps);
  if (seedSteps > 0) {
    const mixture = jointTask(tasks, p.task.poolSize);
    for (const width of widths) {
      const arm = `${name}:seed:h${width}`;
      const set = new ReplicaSet({ task: mixture, shards: [Int32Array.from({ length: mixture.pool.n }, (_, i) => i)], workers: 1, batch: p.batch, hidden: width, inner: p.seed.inner, streams: ctx.streams, arm, totalSteps: seedSteps, backend });
      set.load(set.initialWeights(ctx.streams, arm), [0]);
      set.innerSteps([0], seedSteps);
      seeds.push({ width, set });
      for (const e of experts) if (e.hidden === width) e.set.load(set.theta.subarray(0, set.P), [e.slot]);
    }
  }
  let result: Record<string, unknown> | null = null;

  const maxSteps = Math.max(...steps);
  const stretch = p.evalEvery ?? maxSteps;
  const protocol = protocolOn
    ? armProtocolFor(ctx, name, { ...p, H: stretch }, experts[0].set, experts.map((e) => e.domain), { ...base, flopsPerStep: flopsOf(experts[0]) }, { algorithm: "hdee", contributions: D * Math.ceil(maxSteps / stretch) })
    : null;
  /** Steps of expert e between step `from` and `to` of the run. */
  const stepsIn = (e: Expert, from: number, to: number) => Math.max(0, Math.min(e.steps, to) - Math.min(e.steps, from));

  /** Batched inner steps of `training` from step `from` to `to`: per set, the experts still going, in order of where they stop. */
  function train(training: readonly Expert[], from: number, to: number): void {
    for (const set of [...new Set(training.map((e) => e.set))]) {
      const mine = training.filter((e) => e.set === set);
      let done = from;
      for (const n of [...new Set(mine.map((e) => Math.min(e.steps, to)))].sort((a, b) => a - b)) {
        const active = mine.filter((e) => Math.min(e.steps, to) >= n).map((e) => e.slot);
        if (n > done) set.innerSteps(active, n - done);
        done = n;
      }
    }
  }

  const valOf = (t: ProxyTask) => ({ x: t.pool.x.subarray(p.task.poolSize * p.task.inputs), y: t.pool.y.subarray(p.task.poolSize) });

  function evaluate(): Record<string, unknown> {
    // Experts held out by the protocol (challenged, or lost a dispute) are not in the ensemble.
    const kept = experts.filter((e) => !protocol?.isOut(e.slot));
    const ensemble = kept.length > 0 ? kept : experts;
    const perDomain: Record<string, unknown> = {};
    const sums: Record<string, number> = { cachedPrior: 0, uniformPrior: 0, logAverage: 0, validationSoftmax: 0 };
    let sumOwn = 0;
    p.domains.forEach((dom, d) => {
      const t = tasks[d];
      const val = valOf(t);
      const r = ensembleLosses({
        heldOut: ensemble.map((e) => labelLogProbs(e.set.mlp, e.params, t.heldOut.x, t.heldOut.y, t.heldOut.n)),
        validation: ensemble.map((e) => labelLogProbs(e.set.mlp, e.params, val.x, val.y, p.validationSize)),
        sequenceLength: p.sequenceLength,
        priorSequences: p.priorSequences,
        priorDecay: p.priorDecay,
        temperature: p.temperature,
      });
      const own = experts[d].set.mlp.evaluate(experts[d].params, 0, t.heldOut.x, t.heldOut.y, t.heldOut.n).loss;
      const losses: Record<string, number> = {};
      for (const [m, k] of Object.entries(METHOD_KEYS)) {
        losses[k] = r6(r.losses[m as EnsembleMethod]);
        sums[k] += r.losses[m as EnsembleMethod];
      }
      sumOwn += own;
      const ownSlot = ensemble.findIndex((e) => e.domain === d);
      perDomain[dom.name] = {
        ensembleLoss: r6(r.losses[p.ensemble]),
        expertLoss: r6(own),
        ensembleLosses: losses,
        ownPrior: ownSlot >= 0 ? r6(r.cachedPrior[ownSlot]) : 0,
        steps: experts[d].steps,
        hidden: experts[d].hidden,
      };
    });
    const ensembleLossesMean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, r6(v / D)]));
    return { heldOutLoss: ensembleLossesMean[METHOD_KEYS[p.ensemble]], expertHeldOutLoss: r6(sumOwn / D), ensembleLosses: ensembleLossesMean, domains: perDomain };
  }

  /** The seeds' own held-out loss, mean over domains (each domain scored by the seed of its expert's width). */
  const seedHeldOutLoss = (() => {
    if (seeds.length === 0) return null;
    let sum = 0;
    p.domains.forEach((_, d) => {
      const s = seeds.find((x) => x.width === experts[d].hidden)!.set;
      sum += s.mlp.evaluate(s.theta, 0, tasks[d].heldOut.x, tasks[d].heldOut.y, tasks[d].heldOut.n).loss;
    });
    return r6(sum / D);
  })();

  const summary = () => {
    const trainFlops = experts.reduce((a, e) => a + e.steps * p.batch * e.set.mlp.trainFlopsPerExample, 0);
    return {
      algorithm: "hdee",
      allocation: p.allocation,
      ensemble: p.ensemble,
      engine: experts[0].set.engineName,
      experts: D,
      proxyTrainFlops: trainFlops,
      seedSteps,
      seedProxyTrainFlops: seeds.reduce((a, s) => a + seedSteps * p.batch * s.set.mlp.trainFlopsPerExample, 0),
      seedHeldOutLoss,
      ...account.summary(protocol ? { protocol: protocol.summary() } : {}, false),
      ...(result ?? {}),
    };
  };

  function* run() {
    if (seeds.length > 0) {
      // The seeds train side by side, seed k on node k, before any expert starts.
      const times = seeds.map((s, k) => ctx.world.computeTimeUs(k, seedSteps * flopsOfMlp(s.set.mlp)));
      times.forEach((t, k) => (account.computeUs[k] += t));
      account.tokens += seeds.length * seedSteps * base.tokensPerStep;
      yield env.timeout(Math.max(0, ...times));
    }
    for (let from = 0, r = 0; from < maxSteps; from += stretch, r++) {
      const to = Math.min(maxSteps, from + stretch);
      const training = experts.filter((e) => stepsIn(e, from, to) > 0 && !protocol?.isOut(e.slot));
      let rejected = new Set<number>();
      if (protocol === null) {
        train(training, from, to);
        const times = training.map((e) => ctx.world.computeTimeUs(e.domain, stepsIn(e, from, to) * flopsOf(e)));
        times.forEach((t, i) => (account.computeUs[training[i].domain] += t));
        yield env.timeout(Math.max(0, ...times));
      } else {
        // Each expert's stretch as a job from its accepted weights; a challenged one is rolled back.
        const accepted = training.map((e) => e.params.slice());
        rejected = yield* protocol.contribute(account, r, training.map((e) => e.slot), (w) => experts[w].params.slice(), (w) => stepsIn(experts[w], from, to));
        training.forEach((e, i) => rejected.has(e.slot) && e.params.set(accepted[i]));
        account.dropped += rejected.size;
      }
      for (const e of training) if (!rejected.has(e.slot)) account.tokens += stepsIn(e, from, to) * base.tokensPerStep;
      account.rounds++;
      result = evaluate();
      account.evaluation(to, result.heldOutLoss as number, NaN, NaN);
    }
    account.finish();
    if (protocol !== null) yield* protocol.settleAll();
    return summary();
  }
  const done: Process<Record<string, unknown>> = env.process(run(), `hdee:${name}`);
  return { done, summary };
}

/** Several domains' pools side by side (first `take` examples of each) as one task. */
function jointTask(tasks: ProxyTask[], take: number): ProxyTask {
  const d = tasks[0].config.inputs;
  const x = new Float32Array(tasks.length * take * d);
  const y = new Int32Array(tasks.length * take);
  tasks.forEach((t, s) => {
    x.set(t.pool.x.subarray(0, take * d), s * take * d);
    y.set(t.pool.y.subarray(0, take), s * take);
  });
  return { config: tasks[0].config, pool: { x, y, n: tasks.length * take }, heldOut: tasks[0].heldOut, byClass: [] };
}
