// Streaming DiLoCo (REFERENCE §5): the parameters are cut into fragments synced in turn, one
// every H/fragments inner steps, so each fragment still syncs every H steps; each worker's outer
// gradient is quantized to a few bits before the all-reduce; the transfer overlaps the next
// `overlap` inner steps (tau, at most H/fragments), after which workers mix the new global
// fragment into their weights (waiting for the transfer if it has not landed yet).
// Churn: the workers in sync train in lockstep. One whose node goes down loses its work since
// its fragments last synced and leaves (a dropped contribution): it is in no later fragment's
// all-reduce. When its node is back up it fetches the global copy (the full weights) from a
// worker in sync before the next stretch (everyone waits for the transfer, as in DiLoCo).
// With adversaries or verification (armProtocol.ts) each worker's stretch of inner steps is a
// protocol job from its own current weights; the weights it commits are what its fragments'
// outer gradients come from. A worker whose stretch is challenged leaves as if its node went down
// (its unsynced work is lost) and sits out while the game runs; one that loses is out for good.
import type { SimEvent } from "../des/event.ts";
import { ConfigError } from "../errors.ts";
import type { Process } from "../des/process.ts";
import { armProtocolFor } from "./armProtocol.ts";
import { availableWorkers, computeTimes, scalesSummary, setupArm, syncAllReduce, type ArmRun } from "./armSetup.ts";
import { outerSgdStep } from "./outerStep.ts";
import { quantizeFormatInPlace, quantizedBytes } from "./quantize.ts";
import { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { StreamingDilocoParams } from "./trainParams.ts";

export function streamingDilocoArm(ctx: TrainContext, name: string, p: StreamingDilocoParams): ArmRun {
  const { replicas, nodes, scales, outOfMemory } = setupArm(ctx, name, p);
  const W = nodes.length;
  const P = replicas.P;
  const F = Math.min(p.fragments, P);
  const stride = Math.max(1, Math.floor(p.H / F));
  const overlap = Math.min(p.overlap, stride);
  const ranges = fragmentRanges(P, F, p.layout, p.layoutBlock);
  if (ranges.some((r) => r.length === 0)) throw new ConfigError(`streaming-diloco ${name}: layout strided with layoutBlock ${p.layoutBlock} cuts ${P} parameters into fewer than fragments = ${F} blocks`);
  const fragmentBytes = quantizedBytes(Math.ceil(scales.virtual.parameters / F), p.bits, p.quantBlock);
  const account = new TrainAccount(ctx, name, W, p.targetLoss);
  const global = replicas.initialWeights(ctx.streams, replicas.streamKey);
  const momentum = new Float32Array(P);
  const env = ctx.env;
  /** Workers in sync (hold the global copy and train), ascending. */
  let all: number[] = [];
  const lost = new Uint8Array(W);
  const nodeToWorker = new Map(nodes.map((n, w) => [n, w]));
  let finished = false;
  let rejoins = 0;
  ctx.world.onChange((node, available) => {
    const w = nodeToWorker.get(node.id);
    if (!finished && w !== undefined && !available) lost[w] = 1;
  });
  // Contributions as protocol jobs when the arm has liars or verifiers: at most two stretches per sync.
  const protocol = armProtocolFor(ctx, name, p, replicas, nodes, scales, { algorithm: "streaming-diloco", contributions: W * 2 * Math.ceil(p.steps / stride) });
  /** Up, and not held out by the protocol (a pending challenge, a lost dispute). */
  const upWorkers = () => availableWorkers(ctx, nodes).filter((w) => !protocol?.isOut(w));
  let stretches = 0;
  const summary = () =>
    account.summary(
      { algorithm: "streaming-diloco", workers: W, steps: p.steps, H: p.H, fragments: F, overlap, bits: p.bits, quant: p.quant, layout: p.layout, mix: p.mix, batch: p.batch, outer: p.outer, allReduce: p.allReduce, nonIid: p.nonIid, fragmentBytes, rejoins, ...scalesSummary(scales, replicas, outOfMemory), ...(protocol ? { protocol: protocol.summary() } : {}) },
      p.curve,
    );

  /** Outer step of fragment f from the workers' current weights; each worker's gradient quantized. */
  function outerFragment(f: number): void {
    if (all.length === 0) return;
    const len = ranges[f].reduce((a, [lo, hi]) => a + hi - lo, 0);
    const mine = new Float32Array(len);
    const sum = new Float64Array(len);
    for (const w of all) {
      let k = 0; // the fragment's values gathered in order, range by range
      for (const [lo, hi] of ranges[f]) for (let j = lo; j < hi; j++) mine[k++] = Math.fround(global[j] - replicas.theta[w * P + j]);
      quantizeFormatInPlace(mine, p.quant, p.bits, p.quantBlock);
      for (let j = 0; j < len; j++) sum[j] += mine[j];
    }
    const g = new Float32Array(len); // fragment-local, as outerSgdStep expects
    for (let j = 0; j < len; j++) g[j] = Math.fround(sum[j] / all.length);
    let k = 0;
    for (const [lo, hi] of ranges[f]) {
      outerSgdStep(global, g.subarray(k, k + hi - lo), momentum, p.outer, lo, hi - lo);
      k += hi - lo;
    }
  }

  /** local <- mix*local + (1-mix)*global on fragment f for every worker. */
  function mixFragment(f: number): void {
    const a = p.mix;
    for (const w of all) {
      for (const [lo, hi] of ranges[f]) {
        for (let j = lo; j < hi; j++) {
          const o = w * P + j;
          replicas.theta[o] = mixValue(a, replicas.theta[o], global[j]);
        }
      }
    }
  }

  /**
   * Workers up but out of sync fetch the global copy from the first worker in sync (none in sync:
   * they start from the last global copy, as from a checkpoint); waits until someone is up.
   */
  function* rejoin() {
    for (;;) {
      const joiners = upWorkers().filter((w) => !all.includes(w));
      if (joiners.length > 0) {
        const source = all.find((w) => ctx.world.nodes[nodes[w]].available);
        if (source !== undefined) {
          const t0 = env.now;
          yield env.allOf(joiners.map((w) => (account.ledger.record(nodes[source], nodes[w], scales.virtual.payloadBytes), ctx.world.network.send(nodes[source], nodes[w], scales.virtual.payloadBytes))));
          for (const w of [...all, ...joiners]) account.waitUs[w] += env.now - t0;
          rejoins += joiners.length;
        }
        const ok = joiners.filter((w) => ctx.world.nodes[nodes[w]].available);
        replicas.load(global, ok);
        all = [...all, ...ok].sort((a, b) => a - b);
      }
      if (all.length > 0) return;
      yield env.timeout(1_000_000);
    }
  }

  function* run() {
    all = upWorkers();
    replicas.load(global, Array.from({ length: W }, (_, w) => w));
    const e0 = replicas.evaluate(global);
    account.evaluation(0, e0.loss, e0.accuracy, NaN);
    let pending: { f: number; done: SimEvent<unknown> } | null = null;
    let step = 0;
    let k = 0;
    let nextSync = stride;
    let mergeAt = Infinity;
    let nextEval = p.evalEvery ?? p.H;
    let trainLoss = NaN;
    while (step < p.steps) {
      const target = Math.min(nextSync, mergeAt, p.steps);
      const h = target - step;
      if (h > 0) {
        // Workers that went down since the last stretch leave (losing their local progress on the
        // fragments not synced since), then those up again rejoin.
        const stay = all.filter((w) => lost[w] === 0 && ctx.world.nodes[nodes[w]].available);
        account.dropped += all.length - stay.length;
        all = stay;
        yield* rejoin();
        for (const w of all) lost[w] = 0;
        if (protocol === null) {
          trainLoss = replicas.innerSteps(all, h);
          const times = computeTimes(ctx, nodes, all, h * scales.flopsPerStep, account);
          const slowest = Math.max(...times);
          yield env.timeout(slowest);
          times.forEach((t, i) => (account.waitUs[all[i]] += slowest - t));
        } else {
          // Each worker's stretch as a job from its own weights; a challenged one leaves like a lost node.
          const challenged = yield* protocol.contribute(account, stretches++, all, (w) => replicas.theta.slice(w * P, w * P + P), h);
          for (const w of challenged) lost[w] = 1;
        }
        // Workers whose node went down during the stretch lose it and leave.
        const kept = all.filter((w) => lost[w] === 0 && ctx.world.nodes[nodes[w]].available);
        account.dropped += all.length - kept.length;
        all = kept;
        account.tokens += all.length * h * scales.tokensPerStep;
      }
      step = target;
      if (pending !== null && step >= mergeAt) {
        // The overlapped transfer must have landed before its fragment is merged.
        if (!pending.done.processed) {
          const t0 = env.now;
          yield pending.done;
          for (const w of all) account.waitUs[w] += env.now - t0;
        }
        mixFragment(pending.f);
        pending = null;
        mergeAt = Infinity;
      }
      if (step >= nextSync) {
        nextSync += stride;
        if (step < p.steps) {
          const f = k++ % F;
          outerFragment(f);
          pending = { f, done: env.process(syncAllReduceQuiet(f), `stream-sync:${name}:${f}`) };
          mergeAt = Math.min(step + overlap, p.steps);
          account.rounds++;
        }
      }
      if (step >= nextEval || step === p.steps) {
        nextEval += p.evalEvery ?? p.H;
        const e = replicas.evaluate(global);
        account.evaluation(step, e.loss, e.accuracy, trainLoss);
      }
    }
    if (pending !== null) {
      yield pending.done;
      mixFragment(pending.f);
    }
    finished = true;
    account.finish();
    if (protocol !== null) yield* protocol.settleAll();
    return summary();
  }

  /** The fragment's all-reduce, booked as a sync but not as waiting (it overlaps compute). */
  function* syncAllReduceQuiet(_f: number) {
    const before = Float64Array.from(account.waitUs);
    yield* syncAllReduce(ctx, account, nodes, [...all], fragmentBytes, p.allReduce);
    account.waitUs.set(before);
  }

  const done: Process<Record<string, unknown>> = env.process(run(), `streaming-diloco:${name}`);
  return { done, summary };
}

/** The paper's merge of a synced fragment: mix x local + (1 - mix) x global, rounded to float32. */
export function mixValue(mix: number, local: number, global: number): number {
  return Math.fround(mix * local + (1 - mix) * global);
}

/**
 * Index ranges [lo, hi) of each of F fragments of P values: contiguous (fragment f = [fP/F,
 * (f+1)P/F)), or strided (blocks of `block` values, block k to fragment k mod F, as the paper
 * deals transformer blocks to fragments).
 */
export function fragmentRanges(P: number, F: number, layout: "contiguous" | "strided", block: number): [number, number][][] {
  if (layout === "contiguous") return Array.from({ length: F }, (_, f) => [[Math.floor((f * P) / F), Math.floor(((f + 1) * P) / F)]]);
  const out: [number, number][][] = Array.from({ length: F }, () => []);
  for (let k = 0, lo = 0; lo < P; k++, lo += block) out[k % F].push([lo, Math.min(P, lo + block)]);
  return out;
}
