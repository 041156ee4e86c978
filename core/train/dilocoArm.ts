// DiLoCo (REFERENCE §5): rounds of H inner AdamW steps on each worker, then an all-reduce of the
// pseudo-gradient and an outer Nesterov step. Workers whose node is down sit a round out and
// fetch the global weights when they rejoin; a worker that goes down mid-round loses its
// contribution; with stragglerDeadline, workers later than factor x the round's median are dropped.
import type { Process } from "../des/process.ts";
import { availableWorkers, computeTimes, scalesSummary, setupArm, syncAllReduce, type ArmRun } from "./armSetup.ts";
import { outerSgdStep, pseudoGradient } from "./outerStep.ts";
import { checkContribution, chooseLiars, corruptRound, type CheckResult } from "./roundVerifier.ts";
import { outcomeFields } from "../verde/disputeOutcome.ts";
import { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { DilocoParams } from "./trainParams.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}

export function dilocoArm(ctx: TrainContext, name: string, p: DilocoParams): ArmRun {
  const { replicas, nodes, scales, outOfMemory } = setupArm(ctx, name, p);
  const W = nodes.length;
  const P = replicas.P;
  const account = new TrainAccount(ctx, name, W, p.targetLoss);
  const global = replicas.initialWeights(ctx.streams, replicas.streamKey);
  const momentum = new Float32Array(P);
  const delta = new Float32Array(P);
  const env = ctx.env;
  const nodeToWorker = new Map(nodes.map((n, w) => [n, w]));
  const lostThisRound = new Uint8Array(W);
  let finished = false;
  let rejoins = 0;
  ctx.world.onChange((node, available) => {
    const w = nodeToWorker.get(node.id);
    if (!finished && w !== undefined && !available) lostThisRound[w] = 1;
  });
  // Liars and verification (issue 5 item 4; roundVerifier.ts).
  const liars = p.adversaries === null ? new Set<number>() : chooseLiars(ctx, replicas.streamKey, W, p.adversaries.fraction);
  const excluded = new Set<number>();
  const workerNodes = new Set(nodes);
  const spare = ctx.world.nodes.map((n) => n.id).filter((id) => !workerNodes.has(id));
  const verifyRng = ctx.streams.stream("train", name, "verify");
  const lies = { submitted: 0, caught: 0, missed: 0, checks: 0, disputes: 0, disputeRounds: [] as number[], verifierFlops: 0, trainingFlops: 0, slashedStake: 0 };
  const verifierFor = (w: number, k: number): number => {
    if (spare.length > 0) return spare[k % spare.length];
    for (let d = 1; d < W; d++) if (!liars.has((w + d) % W)) return nodes[(w + d) % W];
    return nodes[w];
  };
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  const verificationSummary = () => ({
    adversaries: p.adversaries,
    verification: p.verification,
    liars: liars.size,
    liarWorkers: [...liars],
    liesSubmitted: lies.submitted,
    liesCaught: lies.caught,
    liesMissed: lies.missed,
    checks: lies.checks,
    disputes: lies.disputes,
    disputeRounds: { mean: lies.disputeRounds.length > 0 ? round6(lies.disputeRounds.reduce((a, b) => a + b, 0) / lies.disputeRounds.length) : 0, max: lies.disputeRounds.length > 0 ? Math.max(...lies.disputeRounds) : 0 },
    excludedWorkers: [...excluded].sort((a, b) => a - b),
    slashedStake: lies.slashedStake,
    verifierFlops: lies.verifierFlops,
    trainingFlops: lies.trainingFlops,
    verifierComputeShare: lies.trainingFlops > 0 ? round6(lies.verifierFlops / lies.trainingFlops) : 0,
  });
  const evalEveryRounds = Math.max(1, Math.round((p.evalEvery ?? p.H) / p.H));
  const summary = () =>
    account.summary(
      { algorithm: "diloco", workers: W, steps: p.steps, H: p.H, batch: p.batch, outer: p.outer, allReduce: p.allReduce, stragglerDeadline: p.stragglerDeadline, nonIid: p.nonIid, rejoins, ...scalesSummary(scales, replicas, outOfMemory), ...verificationSummary() },
      p.curve,
    );

  function* run() {
    const e0 = replicas.evaluate(global);
    account.evaluation(0, e0.loss, e0.accuracy, NaN);
    const rounds = Math.ceil(p.steps / p.H);
    let previous: Set<number> | null = null;
    for (let r = 0; r < rounds; r++) {
      const h = Math.min(p.H, p.steps - r * p.H);
      const up = () => availableWorkers(ctx, nodes).filter((w) => !excluded.has(w));
      let active = up();
      while (active.length === 0) {
        yield env.timeout(1_000_000);
        active = up();
      }
      // Joiners fetch the global weights from a worker that took part in the last round and is up.
      const holders = previous === null ? [] : active.filter((w) => previous!.has(w));
      if (holders.length > 0) {
        const source = nodes[holders[0]];
        const joiners = active.filter((w) => !previous!.has(w));
        if (joiners.length > 0) {
          rejoins += joiners.length;
          const t0 = env.now;
          yield env.allOf(joiners.map((w) => (account.ledger.record(source, nodes[w], scales.virtual.payloadBytes), ctx.world.network.send(source, nodes[w], scales.virtual.payloadBytes))));
          for (const w of joiners) account.waitUs[w] += env.now - t0;
        }
      }
      lostThisRound.fill(0);
      replicas.load(global, active);
      // A lazy liar skips its inner steps (theta stays the global weights); a wrong-step liar
      // trains, then reports a corrupted result. Either enters the all-reduce unless caught.
      const lazy = p.adversaries?.kind === "lazy";
      const computing = active.filter((w) => !(lazy && liars.has(w)));
      const trainLoss = replicas.innerSteps(computing, h);
      lies.trainingFlops += computing.length * h * scales.flopsPerStep;
      const start = global.slice();
      for (const w of active) {
        if (!liars.has(w)) continue;
        if (!lazy) corruptRound(replicas, global, w, p.adversaries!.scale);
        lies.submitted++;
        ctx.trace.emit("train.lie", { arm: name, round: r, worker: w, node: nodes[w], kind: p.adversaries!.kind });
      }
      const times = computeTimes(ctx, nodes, active, h * scales.flopsPerStep, account);
      // Sampled contributions are re-executed by a verifier while the round runs (REFERENCE §1).
      const checks: { w: number; ev: Process<CheckResult> }[] = [];
      const busy = new Map<number, number>();
      if (p.verification.rate > 0) {
        active.forEach((w, i) => {
          if (!verifyRng.bernoulli(p.verification.rate)) return;
          const verifierNode = verifierFor(w, checks.length);
          const ev = env.process(checkContribution({ ctx, arm: name, p, replicas, scales, round: r, worker: w, workerNode: nodes[w], verifierNode, start, h, liar: liars.has(w), workerDoneUs: times[i], busy }), `check ${name} r${r} w${w}`);
          checks.push({ w, ev });
        });
      }
      let wait = Math.max(...times);
      if (p.stragglerDeadline !== null) wait = Math.min(wait, Math.ceil(p.stragglerDeadline * median(times)));
      yield env.timeout(wait);
      if (checks.length > 0) yield env.allOf(checks.map((c) => c.ev));
      const caught = new Set<number>();
      for (const { w, ev } of checks) {
        const res = ev.value;
        lies.checks++;
        lies.verifierFlops += res.verifierFlops;
        ctx.trace.emit("train.check", { arm: name, round: r, worker: w, match: !res.caught });
        if (res.dispute !== null) {
          caught.add(w);
          excluded.add(w);
          lies.caught++;
          lies.disputes++;
          lies.disputeRounds.push(res.dispute.rounds);
          lies.slashedStake += p.verification.stake;
          ctx.trace.emit("train.dispute", { arm: name, round: r, worker: w, ...outcomeFields(res.dispute) });
        }
      }
      const contributors: number[] = [];
      active.forEach((w, i) => {
        if (!caught.has(w) && times[i] <= wait && lostThisRound[w] === 0 && ctx.world.nodes[nodes[w]].available) {
          contributors.push(w);
          account.waitUs[w] += wait - times[i];
        }
      });
      account.dropped += active.length - caught.size - contributors.length;
      const members = yield* syncAllReduce(ctx, account, nodes, contributors, scales.virtual.payloadBytes, p.allReduce);
      account.dropped += contributors.length - members.length;
      account.rounds++;
      for (const w of members) if (liars.has(w)) lies.missed++;
      if (members.length > 0) {
        pseudoGradient(global, replicas.theta, P, members, delta);
        outerSgdStep(global, delta, momentum, p.outer);
        account.tokens += members.length * h * scales.tokensPerStep;
      }
      previous = new Set(members);
      ctx.trace.emit("train.round", { arm: name, round: r, active: active.length, contributors: members.length });
      if ((r + 1) % evalEveryRounds === 0 || r === rounds - 1) {
        const e = replicas.evaluate(global);
        account.evaluation((r + 1) * p.H, e.loss, e.accuracy, trainLoss);
      }
    }
    finished = true;
    account.finish();
    return summary();
  }
  const done: Process<Record<string, unknown>> = env.process(run(), `diloco:${name}`);
  return { done, summary };
}
