// NoLoCo (REFERENCE §5): no all-reduce. Each worker takes H inner steps, then exchanges its fast
// and slow weights with the members of its random group for that outer step (seeded by the
// step) and applies the NoLoCo update. Groups wait only for their own members, never globally.
// Held-out loss is that of the mean of the workers' slow weights after each outer step.
// The math of outer step k runs for all workers at once (batched) when the first worker starts
// it; it depends on no timing, so this is exact. Churn is not modelled here: every worker stays.
import type { SimEvent } from "../des/event.ts";
import type { Process } from "../des/process.ts";
import { groupExchange } from "./collectives.ts";
import { scalesSummary, setupArm, type ArmRun } from "./armSetup.ts";
import { nolocoGroupUpdate, pairRanks } from "./noloco.ts";
import { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { NolocoParams } from "./trainParams.ts";

export function nolocoArm(ctx: TrainContext, name: string, p: NolocoParams): ArmRun {
  const { replicas, nodes, scales, outOfMemory } = setupArm(ctx, name, p);
  const W = nodes.length;
  const P = replicas.P;
  const account = new TrainAccount(ctx, name, W, p.targetLoss);
  const init = replicas.initialWeights(ctx.streams, name);
  const all = Array.from({ length: W }, (_, w) => w);
  const phi = new Float32Array(W * P);
  const mom = new Float32Array(W * P);
  const rounds = Math.ceil(p.steps / p.H);
  const env = ctx.env;
  // Outer-step math, computed in order on demand.
  const groupsOf: number[][][] = [];
  const trainLossOf: number[] = [];
  function math(k: number): void {
    while (groupsOf.length <= k) {
      const r = groupsOf.length;
      const h = Math.min(p.H, p.steps - r * p.H);
      trainLossOf.push(replicas.innerSteps(all, h));
      const groups = pairRanks(all, (r + 1) * p.H, ctx.streams);
      for (const g of groups) nolocoGroupUpdate(g, replicas.theta, phi, mom, P, p.outer.alpha, p.outer.beta);
      groupsOf.push(groups);
    }
  }
  // Per outer step: arrivals per group, and the event that fires when the group's exchange is done.
  const arrivals: Map<number, number>[] = [];
  const exchanged: Map<number, SimEvent<unknown>>[] = [];
  const finishedRound = new Int32Array(rounds);
  const consensus = new Float32Array(P);
  const evalEveryRounds = Math.max(1, Math.round((p.evalEvery ?? p.H) / p.H));
  const payload = 2 * scales.virtual.payloadBytes; // fast and slow weights (or theta - phi and phi)

  let replicaMeanLoss = NaN;
  function evaluateConsensus(round: number): void {
    for (let j = 0; j < P; j++) {
      let s = 0;
      for (let w = 0; w < W; w++) s += phi[w * P + j];
      consensus[j] = Math.fround(s / W);
    }
    const e = replicas.evaluate(consensus);
    account.evaluation((round + 1) * p.H, e.loss, e.accuracy, trainLossOf[round]);
    // The workers' own slow weights, first up to 8 of them: how far each is from the consensus.
    const k = Math.min(8, W);
    let sum = 0;
    for (let w = 0; w < k; w++) sum += replicas.evaluate(phi, w * P).loss;
    replicaMeanLoss = sum / k;
  }

  function* worker(w: number) {
    for (let k = 0; k < rounds; k++) {
      math(k);
      const h = Math.min(p.H, p.steps - k * p.H);
      const c = ctx.world.computeTimeUs(nodes[w], h * scales.flopsPerStep);
      account.computeUs[w] += c;
      account.tokens += h * scales.tokensPerStep;
      yield env.timeout(c);
      const gi = groupsOf[k].findIndex((g) => g.includes(w));
      const group = groupsOf[k][gi];
      const arr = (arrivals[k] ??= new Map());
      const ex = (exchanged[k] ??= new Map());
      let done = ex.get(gi);
      if (done === undefined) ex.set(gi, (done = env.event("noloco-group")));
      const n = (arr.get(gi) ?? 0) + 1;
      arr.set(gi, n);
      const t0 = env.now;
      if (n === group.length) {
        // Last member in: the group exchanges now.
        const ev = done;
        const proc = env.process(groupExchange(env, ctx.world.network, group.map((x) => nodes[x]), payload, account.ledger));
        proc.addCallback(() => {
          account.sync(proc.value as number, payload * (group.length - 1));
          ev.succeed();
        });
      }
      yield done;
      account.waitUs[w] += env.now - t0;
      if (++finishedRound[k] === W) {
        account.rounds++;
        if ((k + 1) % evalEveryRounds === 0 || k === rounds - 1) evaluateConsensus(k);
      }
    }
  }

  const summary = () =>
    account.summary(
      { algorithm: "noloco", workers: W, steps: p.steps, H: p.H, batch: p.batch, outer: p.outer, nonIid: p.nonIid, replicaHeldOutLoss: Math.round(replicaMeanLoss * 1e6) / 1e6, ...scalesSummary(scales, replicas, outOfMemory) },
      p.curve,
    );

  function* run() {
    replicas.load(init, all);
    phi.set(replicas.theta);
    const e0 = replicas.evaluate(init);
    account.evaluation(0, e0.loss, e0.accuracy, NaN);
    yield env.allOf(all.map((w) => env.process(worker(w), `noloco:${name}:${w}`)));
    account.finish();
    return summary();
  }
  const done: Process<Record<string, unknown>> = env.process(run(), `noloco:${name}`);
  return { done, summary };
}
