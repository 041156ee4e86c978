// DDP, the baseline (REFERENCE §10 claim 1): every step each worker computes a gradient on its own
// batch, the gradients are all-reduced (ring or tree, real transfers), one AdamW step follows.
import type { Process } from "../des/process.ts";
import { availableWorkers, computeTimes, scalesSummary, setupArm, syncAllReduce, type ArmRun } from "./armSetup.ts";
import { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { DdpParams } from "./trainParams.ts";

export function ddpArm(ctx: TrainContext, name: string, p: DdpParams): ArmRun {
  const { replicas, nodes, scales, outOfMemory } = setupArm(ctx, name, p);
  const account = new TrainAccount(ctx, name, nodes.length, p.targetLoss);
  const shared = replicas.initialWeights(ctx.streams, replicas.streamKey);
  const m = new Float32Array(replicas.P);
  const v = new Float32Array(replicas.P);
  const evalEvery = p.evalEvery ?? 10;
  const env = ctx.env;
  const summary = () =>
    account.summary({ algorithm: "ddp", workers: nodes.length, steps: p.steps, batch: p.batch, allReduce: p.allReduce, nonIid: p.nonIid, ...scalesSummary(scales, replicas, outOfMemory) }, p.curve);

  function* run() {
    const e0 = replicas.evaluate(shared);
    account.evaluation(0, e0.loss, e0.accuracy, NaN);
    let trainLoss = NaN;
    for (let step = 1; step <= p.steps; step++) {
      let active = availableWorkers(ctx, nodes);
      while (active.length === 0) {
        yield env.timeout(1_000_000);
        active = availableWorkers(ctx, nodes);
      }
      const times = computeTimes(ctx, nodes, active, scales.flopsPerStep, account);
      let slowest = 0;
      for (const t of times) if (t > slowest) slowest = t;
      yield env.timeout(slowest);
      for (let i = 0; i < active.length; i++) account.waitUs[active[i]] += slowest - times[i];
      trainLoss = replicas.sharedGradients(shared, active);
      const members = yield* syncAllReduce(ctx, account, nodes, active, scales.virtual.payloadBytes, p.allReduce);
      account.dropped += active.length - members.length;
      account.rounds++;
      if (members.length > 0) {
        const holds = new Set(members);
        const slots: number[] = [];
        active.forEach((w, s) => holds.has(w) && slots.push(s));
        replicas.sharedUpdate(shared, m, v, step, slots);
        account.tokens += members.length * scales.tokensPerStep;
      }
      if (step % evalEvery === 0 || step === p.steps) {
        const e = replicas.evaluate(shared);
        account.evaluation(step, e.loss, e.accuracy, trainLoss);
      }
    }
    account.finish();
    return summary();
  }
  const done: Process<Record<string, unknown>> = env.process(run(), `ddp:${name}`);
  return { done, summary };
}
