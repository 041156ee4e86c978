// DiLoCo (REFERENCE §5): rounds of H inner AdamW steps on each worker, then an all-reduce of the
// pseudo-gradient and an outer Nesterov step. Workers whose node is down sit a round out and
// fetch the global weights when they rejoin; a worker that goes down mid-round loses its
// contribution; with stragglerDeadline, workers later than factor x the round's median are dropped
// (stopped at the deadline, not computed).
import type { Process } from "../des/process.ts";
import { availableWorkers, computeTimes, scalesSummary, setupArm, syncAllReduce, type ArmRun } from "./armSetup.ts";
import { outerSgdStep, pseudoGradient } from "./outerStep.ts";
import { ArmProtocol } from "./armProtocol.ts";
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
  // Contributions as protocol jobs when the arm has liars or verifiers (armProtocol.ts).
  const protocol = p.adversaries !== null || p.verification.rate > 0 ? new ArmProtocol(ctx, name, p, replicas, nodes, scales) : null;
  const verifyRng = ctx.streams.stream("train", name, "verify");
  const evalEveryRounds = Math.max(1, Math.round((p.evalEvery ?? p.H) / p.H));
  const summary = () =>
    account.summary(
      { algorithm: "diloco", workers: W, steps: p.steps, H: p.H, batch: p.batch, outer: p.outer, allReduce: p.allReduce, stragglerDeadline: p.stragglerDeadline, ...(p.stragglerDeadline !== null ? { stoppedAtDeadline: account.stoppedAtDeadline, replicaStepsComputed: replicas.computedSteps } : {}), nonIid: p.nonIid, rejoins, ...scalesSummary(scales, replicas, outOfMemory), ...(protocol ? { protocol: protocol.summary() } : {}) },
      p.curve,
    );

  function* run() {
    const e0 = replicas.evaluate(global);
    account.evaluation(0, e0.loss, e0.accuracy, NaN);
    const rounds = Math.ceil(p.steps / p.H);
    let previous: Set<number> | null = null;
    for (let r = 0; r < rounds; r++) {
      const h = Math.min(p.H, p.steps - r * p.H);
      const up = () => availableWorkers(ctx, nodes).filter((w) => !protocol?.isOut(w));
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
      // Without protocol jobs the workers train as one batched computation; with them each worker's
      // round is its own job whose committed state is what enters the all-reduce (armProtocol.ts).
      // Only the workers whose work can count are computed: one that is down costs nothing and keeps
      // its state, and so does a straggler the deadline will drop (its round's times do not depend
      // on its values, so who misses the deadline is known before training): it is stopped at the
      // deadline, its partial work discarded, its moments, step count and batch stream left where
      // they were (DESIGN: Learning). Its GPU time is booked up to the deadline.
      let times = computeTimes(ctx, nodes, active, h * scales.flopsPerStep, account);
      let trainLoss = NaN;
      if (protocol === null) {
        const deadline = p.stragglerDeadline === null ? Infinity : Math.ceil(p.stragglerDeadline * median(times));
        const onTime = active.filter((_, i) => times[i] <= deadline);
        active.forEach((w, i) => {
          if (times[i] > deadline) {
            account.computeUs[w] -= times[i] - deadline;
            account.stoppedAtDeadline++;
          }
        });
        trainLoss = replicas.innerSteps(onTime, h);
      }
      let caught = new Set<number>();
      if (protocol !== null) {
        // The round's jobs run in virtual time: it resumes once every contribution is committed and
        // every sampled check compared, so `times` are the commit times and no further wait is due.
        const res = yield* protocol.round(r, active, global, h, verifyRng);
        caught = res.challenged;
        times = res.committedAfterUs;
      }
      let wait = Math.max(...times);
      if (p.stragglerDeadline !== null) wait = Math.min(wait, Math.ceil(p.stragglerDeadline * median(times)));
      if (protocol === null) yield env.timeout(wait);
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
    if (protocol !== null) yield* protocol.settleAll();
    return summary();
  }
  const done: Process<Record<string, unknown>> = env.process(run(), `diloco:${name}`);
  return { done, summary };
}
