// NoLoCo (REFERENCE §5): no all-reduce. Each worker takes H inner steps, then exchanges its fast
// and slow weights with the members of its random group for that outer step (seeded by the
// step) and applies the NoLoCo update. Groups wait only for their own members, never globally.
// Held-out loss is that of the mean of the slow weights of the workers that finished the round.
// Churn: round k's groups are drawn (pairRanks over the available workers only) when the first
// worker reaches round k. A worker whose node goes down leaves every round it is drawn in and has
// not finished: its contribution is lost and its partner updates alone (a group of 1). When its
// node is back up it joins the next round not yet drawn and first fetches the slow weights from
// its pair (another member of its group, else any up-to-date member of the round) over the
// network; its outer momentum restarts at zero.
// Inner steps are computed lazily and batched: a worker's round-k steps run once its round-(k-1)
// update is applied, all such workers at once, when the first group of round k exchanges. Each
// worker's steps depend only on its own state and data stream, so batching changes no value.
// With adversaries or verification (armProtocol.ts) each worker's round is instead a protocol job
// started when the worker starts the round, where its compute would be: its H steps from its own
// slow weights phi_w; the fast weights it commits are what its group exchanges. A worker whose
// contribution is challenged leaves the round (its group updates without it) and sits out while
// the game runs; one that loses is out for good (REFERENCE §1, §3, §5).
// `routing: random` (REFERENCE §5, gensyn-ai/noloco's DiPaCo-style pipeline): each inner step
// routes every example from its owner's hidden layer to another worker's head (routedInnerSteps.ts),
// so a round's inner steps need every member's weights: a worker starts computing round k only
// once every member of round k has started it (or left), and the round's steps run in lockstep.
import type { SimEvent } from "../des/event.ts";
import type { Process } from "../des/process.ts";
import { groupExchange, starExchange } from "./collectives.ts";
import { armProtocolFor } from "./armProtocol.ts";
import { scalesSummary, setupArm, type ArmRun } from "./armSetup.ts";
import { ConfigError } from "../errors.ts";
import { meanPairwiseDistance, nolocoGroupUpdate, pairRanks, replicaWeightStd } from "./noloco.ts";
import { RoutedInnerSteps } from "./routedInnerSteps.ts";
import { stageRanges } from "./routedMlp.ts";
import { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { NolocoParams } from "./trainParams.ts";

/** One outer step's draw: its groups and who has arrived at, or left, each. */
interface Round {
  groups: number[][];
  groupOf: Map<number, number>;
  arrived: Set<number>[];
  left: Set<number>[];
  exchanged: SimEvent<unknown>[];
  started: boolean[];
  /** Workers whose inner steps for this round wait to be computed (their last update is in). */
  pending: Set<number>;
  /** Members done with the round (finished or left), and the sums for its evaluation. */
  settled: number;
  size: number;
  finished: number[];
  phiSum: Float64Array | null;
  trainLossSum: number;
}

export function nolocoArm(ctx: TrainContext, name: string, p: NolocoParams): ArmRun {
  const { replicas, nodes, scales, outOfMemory } = setupArm(ctx, name, p);
  const W = nodes.length;
  const P = replicas.P;
  const account = new TrainAccount(ctx, name, W, p.targetLoss);
  const init = replicas.initialWeights(ctx.streams, replicas.streamKey);
  const all = Array.from({ length: W }, (_, w) => w);
  const phi = new Float32Array(W * P);
  const mom = new Float32Array(W * P);
  const rounds = Math.ceil(p.steps / p.H);
  const env = ctx.env;
  const evalEveryRounds = Math.max(1, Math.round((p.evalEvery ?? p.H) / p.H));
  const evalDue = (k: number) => (k + 1) % evalEveryRounds === 0 || k === rounds - 1;
  const payload = 2 * scales.virtual.payloadBytes; // fast and slow weights (or theta - phi and phi)
  // Contributions as protocol jobs when the arm has liars or verifiers (armProtocol.ts).
  const protocol = armProtocolFor(ctx, name, p, replicas, nodes, scales, { algorithm: "noloco" });
  /** Up and not held out by the protocol (a pending challenge, a lost dispute). */
  if (p.routing === "random" && protocol !== null) throw new ConfigError(`workload ${name}: routing: random steps the workers in lockstep and cannot run contributions as protocol jobs (adversaries, verification); use routing: fixed`);
  if (p.routing === "random" && p.engine !== "builtin") throw new ConfigError(`workload ${name}: routing: random runs on the builtin kernels; set engine: builtin (got engine: ${p.engine})`);
  const router = p.routing === "random" ? new RoutedInnerSteps(replicas, ctx.streams) : null;
  const up = (w: number) => ctx.world.nodes[nodes[w]].available && !protocol?.isOut(w);
  const hOf = (k: number) => Math.min(p.H, p.steps - k * p.H);

  const draws: Round[] = [];
  /** The round each worker is in or next joins; stale = must fetch weights before it trains. */
  const current = new Int32Array(W);
  const stale = new Uint8Array(W);
  /** Fires when worker w starts round k (true), or leaves it before starting (false). */
  const reachedEvents = new Map<string, SimEvent<boolean>>();
  const reached = (w: number, k: number) => {
    const key = `${w}:${k}`;
    let e = reachedEvents.get(key);
    if (e === undefined) reachedEvents.set(key, (e = env.event<boolean>("noloco-reached")));
    return e;
  };
  let rejoins = 0;
  let finished = false;
  let replicaMeanLoss = NaN;
  /** Mean pairwise distance between the slow weights of the first up to 8 finishers of the last round: whole replica, stage 0, stage 1. */
  let drift: number[] = [];
  /** The reference's drift measure over the same replicas (replicaWeightStd). */
  let weightStd = NaN;

  function draw(k: number): Round {
    while (draws.length <= k) {
      const r = draws.length;
      const members = all.filter(up);
      const groups = members.length > 0 ? pairRanks(members, (r + 1) * p.H, ctx.streams, p.groupSize) : [];
      const groupOf = new Map<number, number>();
      groups.forEach((g, i) => g.forEach((w) => groupOf.set(w, i)));
      draws.push({
        groups,
        groupOf,
        arrived: groups.map(() => new Set()),
        left: groups.map(() => new Set()),
        exchanged: groups.map(() => env.event("noloco-group")),
        started: groups.map(() => false),
        size: members.length,
        pending: new Set(),
        settled: 0,
        finished: [],
        phiSum: null,
        trainLossSum: 0,
      });
      ctx.trace.emit("train.round", { arm: name, round: r, active: members.length, groups: groups.length });
    }
    return draws[k];
  }

  /** Run the round-k inner steps of every worker waiting for them, batched. */
  function flushInner(k: number): void {
    const d = draws[k];
    if (d.pending.size === 0) return;
    const ws = [...d.pending].sort((a, b) => a - b);
    d.pending.clear();
    if (router !== null) router.steps(ws, hOf(k), k * p.H);
    else replicas.innerSteps(ws, hOf(k));
  }

  function settle(k: number, w: number, done: boolean): void {
    const d = draws[k];
    d.settled++;
    if (done) {
      d.finished.push(w);
      if (evalDue(k)) {
        const s = (d.phiSum ??= new Float64Array(P));
        for (let j = 0; j < P; j++) s[j] += phi[w * P + j];
        d.trainLossSum += replicas.lastLoss[w];
      }
    }
    if (d.settled === d.size) completeRound(k);
  }

  function completeRound(k: number): void {
    const d = draws[k];
    account.rounds++;
    if (!evalDue(k) || d.finished.length === 0) return;
    const n = d.finished.length;
    const consensus = new Float32Array(P);
    for (let j = 0; j < P; j++) consensus[j] = Math.fround(d.phiSum![j] / n);
    const e = replicas.evaluate(consensus);
    account.evaluation((k + 1) * p.H, e.loss, e.accuracy, d.trainLossSum / n);
    if (k === rounds - 1) {
      // The workers' own slow weights, the first up to 8 that finished: how far each is from the consensus.
      const ws = [...d.finished].sort((a, b) => a - b).slice(0, 8);
      replicaMeanLoss = ws.reduce((s, w) => s + replicas.evaluate(phi, w * P).loss, 0) / ws.length;
      weightStd = Math.round(replicaWeightStd(phi, P, ws) * 1e9) / 1e9;
      drift = [[0, P] as [number, number], ...stageRanges(replicas.mlp.shape)].map(([a, b]) => Math.round(meanPairwiseDistance(phi, P, ws, a, b) * 1e6) / 1e6);
    }
  }

  /** The group of worker w in round k exchanges once every member still in it has arrived. */
  function maybeExchange(k: number, gi: number): void {
    const d = draws[k];
    const g = d.groups[gi];
    if (d.started[gi] || d.arrived[gi].size + d.left[gi].size < g.length) return;
    d.started[gi] = true;
    const members = g.filter((w) => d.arrived[gi].has(w));
    const ev = d.exchanged[gi];
    if (members.length === 0) return void ev.succeed();
    const exchange = p.exchange === "star" ? starExchange : groupExchange;
    const proc = env.process(exchange(env, ctx.world.network, members.map((x) => nodes[x]), payload, account.ledger));
    proc.addCallback(() => {
      // Bytes each member sends: all-to-all, one payload to each other member; star, 2 payloads per member (the root: 2 to each).
      account.sync(proc.value as number, p.exchange === "star" ? 2 * payload * (members.length - 1) : payload * (members.length - 1));
      // Members that went down during the exchange lose the round too.
      const kept = members.filter((w) => !d.left[gi].has(w));
      if (kept.some((w) => d.pending.has(w))) flushInner(k);
      if (kept.length > 0) nolocoGroupUpdate(kept, replicas.theta, phi, mom, P, p.outer.alpha, p.outer.beta);
      account.tokens += kept.length * hOf(k) * scales.tokensPerStep;
      ev.succeed(kept);
    });
  }

  /** Worker w leaves round k (node down, or no one to fetch weights from): its contribution is lost. */
  function leave(k: number, w: number): void {
    const d = draws[k];
    const gi = d.groupOf.get(w);
    if (gi === undefined || d.left[gi].has(w)) return;
    if (d.arrived[gi].has(w) && d.started[gi]) {
      // Mid-exchange: the exchange callback leaves it out of the update.
      d.left[gi].add(w);
    } else {
      d.left[gi].add(w);
      d.arrived[gi].delete(w);
      d.pending.delete(w);
      maybeExchange(k, gi);
    }
    const e = reached(w, k);
    if (!e.triggered) e.succeed(false);
    account.dropped++;
    stale[w] = 1;
    settle(k, w, false);
  }

  /** Worker w leaves every drawn round from its current one that it has not exchanged in (node down, or challenged). */
  function leaveDrawn(w: number): void {
    for (let k = current[w]; k < draws.length; k++) {
      const d = draws[k];
      const gi = d.groupOf.get(w);
      if (gi !== undefined && !(d.started[gi] && d.exchanged[gi].triggered)) leave(k, w);
    }
  }

  ctx.world.onChange((node, available) => {
    const w = nodes.indexOf(node.id);
    if (!finished && !available && w >= 0) leaveDrawn(w);
  });

  /** Whether w takes part in drawn round k (drawn with it, has not left). */
  function member(k: number, w: number): boolean {
    const gi = draws[k].groupOf.get(w);
    return gi !== undefined && !draws[k].left[gi].has(w);
  }

  function* worker(w: number) {
    for (let k = 0; k < rounds; ) {
      current[w] = k;
      if (!up(w) || (k < draws.length && !member(k, w))) {
        // Down, or not in round k: its weights go stale. Wait to be up, then take the next round
        // it was drawn in, or the next one not drawn yet.
        if (k < draws.length && draws[k].groupOf.has(w)) leave(k, w);
        stale[w] = 1;
        while (!up(w)) {
          if (draws.length >= rounds) return;
          yield env.timeout(1_000_000);
        }
        while (k < draws.length && !member(k, w)) k++;
        continue;
      }
      const d = draw(k);
      const gi = d.groupOf.get(w)!;
      if (stale[w]) {
        // Rejoin: fetch the slow weights from the pair, else any up-to-date member of the round;
        // with no up-to-date worker anywhere, go on from its own weights.
        const fresh = (x: number) => x !== w && !stale[x] && member(k, x);
        const source = d.groups[gi].find(fresh) ?? [...d.groupOf.keys()].sort((a, b) => a - b).find(fresh);
        if (source !== undefined) {
          const t0 = env.now;
          let ok = (yield reached(source, k)) as boolean;
          const slow = phi.slice(source * P, source * P + P); // its slow weights as it starts round k
          if (ok) {
            account.ledger.record(nodes[source], nodes[w], scales.virtual.payloadBytes);
            const got: unknown = yield ctx.world.network.send(nodes[source], nodes[w], scales.virtual.payloadBytes);
            ok = (got as { delivered?: boolean } | undefined)?.delivered !== false && up(w) && member(k, w);
          }
          account.waitUs[w] += env.now - t0;
          if (!ok) {
            leave(k, w);
            k++;
            continue;
          }
          phi.set(slow, w * P);
          replicas.theta.set(slow, w * P);
          mom.fill(0, w * P, w * P + P);
          rejoins++;
        }
        stale[w] = 0;
      }
      if (protocol === null) d.pending.add(w); // its last update is in: its round-k inner steps can run
      const r = reached(w, k);
      if (!r.triggered) r.succeed(true);
      if (router !== null) {
        // Lockstep: round k's routed steps need every member's weights as it starts the round.
        const t0 = env.now;
        yield env.allOf(d.groups.flat().map((x) => reached(x, k)));
        account.waitUs[w] += env.now - t0;
        flushInner(k);
        if (!member(k, w)) {
          k++;
          continue;
        }
      }
      if (protocol === null) {
        const c = ctx.world.computeTimeUs(nodes[w], hOf(k) * scales.flopsPerStep);
        account.computeUs[w] += c;
        yield env.timeout(c);
      } else {
        // Its round as a job from its slow weights; resumes once committed and any check compared.
        const challenged = yield* protocol.contribute(account, k, [w], phi.slice(w * P, w * P + P), hOf(k), () => k * W + w);
        // Held out: of this round, and of any later one drawn while its check was pending.
        if (challenged.has(w)) leaveDrawn(w);
      }
      if (!member(k, w)) {
        k++;
        continue;
      }
      d.arrived[gi].add(w);
      const t0 = env.now;
      maybeExchange(k, gi);
      const kept = (yield d.exchanged[gi]) as number[] | undefined;
      account.waitUs[w] += env.now - t0;
      if (kept !== undefined && kept.includes(w)) settle(k, w, true);
      k++;
    }
  }

  const summary = () =>
    account.summary(
      { algorithm: "noloco", workers: W, steps: p.steps, H: p.H, batch: p.batch, outer: p.outer, groupSize: p.groupSize, exchange: p.exchange, routing: p.routing, ...(router ? { routedShare: Math.round((router.crossed / Math.max(1, router.examples)) * 1e6) / 1e6 } : {}), nonIid: p.nonIid, rejoins, replicaHeldOutLoss: Math.round(replicaMeanLoss * 1e6) / 1e6, replicaDrift: drift[0] ?? NaN, replicaDriftStages: drift.slice(1), replicaWeightStd: weightStd, ...scalesSummary(scales, replicas, outOfMemory), ...(protocol ? { protocol: protocol.summary() } : {}) },
      p.curve,
    );

  function* run() {
    replicas.load(init, all);
    phi.set(replicas.theta);
    const e0 = replicas.evaluate(init);
    account.evaluation(0, e0.loss, e0.accuracy, NaN);
    yield env.allOf(all.map((w) => env.process(worker(w), `noloco:${name}:${w}`)));
    finished = true;
    account.finish();
    if (protocol !== null) yield* protocol.settleAll();
    return summary();
  }
  const done: Process<Record<string, unknown>> = env.process(run(), `noloco:${name}`);
  return { done, summary };
}
