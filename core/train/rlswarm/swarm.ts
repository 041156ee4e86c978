// The `rlswarm` workload: RL Swarm v2 / SAPO (REFERENCE §7). Every node holds its own policy
// (PolicySet replicas) and verifier. Per round: sample I questions (half from its specialty), L
// completions each, score them, put one payload list in the DHT (a send to every peer through the
// network model), wait the gather window, take what has arrived (no barrier), validate it
// (malformed payloads rejected with a reason, counted), re-score external completions with its
// own verifier, pick J groups by the selection rule, take one GRPO step on I + J groups. The chain
// clock (SwarmCoordinator through the Ledger port) drives rounds; nodes submit batched rewards
// and winner votes every submitEvery. Compute runs batched over the nodes that ask at once.
// `stages: 3` runs RL Swarm v1's answer / critique / resolve rounds instead (stagedRound.ts).
import { HOUR, SECOND, Timeout, type ProcessGenerator, type SimEvent } from "../../des/index.ts";
import type { Rng } from "../../des/rng.ts";
import { LedgerRevert } from "../../ledger/ledgerRevert.ts";
import type { Ledger } from "../../ledger/ledger.ts";
import { systemAccounts } from "../../ledger/ledger.ts";
import type { Backend } from "../../ml/backend.ts";
import type { RunContext } from "../../run/context.ts";
import type { WorkloadRun } from "../../run/workload.ts";
import type { Delivery } from "../../world/network.ts";
import { policyFits } from "../../agents/swarmOomRefusal.ts";
import { swarmBehaviour, type SwarmBehaviour } from "../../agents/swarmAdversaries.ts";
import { groupAdvantages, type TrainRow } from "./grpo.ts";
import type { RlswarmParams } from "./params.ts";
import { payloadBytes, REJECT_REASONS, validatePayload, type Payload, type RejectReason } from "./payload.ts";
import { PolicySet, type PolicyShape } from "./policySet.ts";
import { selectExternal, type Candidate } from "./selection.ts";
import { decodeTokens, encodeText, rewardAgainst, sampleTask, solve, SPECIALTIES, SWARM_EOS, SWARM_PAD, SWARM_VOCAB } from "./tasks.ts";
import { instability } from "./swarmStats.ts";
import { SwarmStepJobs } from "./stepJobs.ts";
import { defaultLedgerConfig, type LedgerConfig } from "../../ledger/deployment.ts";
import { repopsBackend } from "../../ml/backends/repops.ts";
import { stagedNodeLoop, type StageTallies } from "./stagedRound.ts";
import { formatExample, STAGED_CONTEXT, STAGES } from "./stagedTasks.ts";
import type { SwarmNode as NodeState, SwarmRuntime } from "./swarmRuntime.ts";

const CONTEXT = 12;
const MAX_NEW = 5;

export function startRlswarm(ctx: RunContext, p: RlswarmParams, ledger: Ledger, backend: Backend, config: LedgerConfig = { ...defaultLedgerConfig, swarm: { stageCount: p.stages } }): WorkloadRun {
  const { env, world, streams, trace, metrics } = ctx;
  const N = world.size;
  const staged = p.stages === 3;
  // v1 trains on its own I groups per stage, with room in the context for the shown answers.
  const shape: PolicyShape = {
    vocab: SWARM_VOCAB, context: staged ? STAGED_CONTEXT : CONTEXT, width: p.model.width, heads: p.model.heads, layers: p.model.layers,
    genBatch: p.I * p.L, trainBatch: (staged ? p.I : p.I + p.J) * p.L, pad: SWARM_PAD, eos: SWARM_EOS,
  };
  // Shared base model: initialised and warm-started once, downloaded by every node. In v1 the
  // warm start also teaches the critique and resolve formats (not the skill: stagedTasks.ts).
  const preRng = (s: number, i: number) => streams.stream("rlswarm", "pretrain", s, i);
  const base = PolicySet.pretrain(shape, backend, PolicySet.initial(shape, streams.stream("rlswarm", "init")), (s) =>
    Array.from({ length: p.pretrain.batch }, (_, i) => {
      if (staged) {
        const ex = formatExample(i % STAGES.length, preRng(s, i));
        return { prompt: encodeText(ex.prompt), completion: encodeText(ex.completion), advantage: 1 };
      }
      const t = sampleTask(SPECIALTIES[i % SPECIALTIES.length], preRng(s, i));
      return { prompt: encodeText(t.prompt), completion: encodeText(`${t.answer}.`), advantage: 1 };
    }), p.pretrain.steps, p.pretrain.lr);
  const policies = new PolicySet({ ...shape, genBatch: shape.genBatch, trainBatch: Math.max(shape.trainBatch, 1) }, N, backend, base);

  // Adversaries: a seeded choice of nodes per kind, in the order listed.
  // Nodes whose device cannot hold the policy refuse to join (swarmOomRefusal.ts); adversaries are among the rest.
  const fits = world.nodes.map((w) => policyFits(p.virtual.parameters, p.virtual.trainingBytesPerParameter, w.hardware.memoryBytes));
  const order = Array.from({ length: N }, (_, i) => i).filter((i) => fits[i].fits);
  const advRng = streams.stream("rlswarm", "adversaries");
  for (let i = order.length - 1; i > 0; i--) {
    const j = advRng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const behaviours: SwarmBehaviour[] = Array.from({ length: N }, () => swarmBehaviour("honest"));
  let next = 0;
  for (const a of p.adversaries) {
    const n = a.fraction > 0 ? Math.max(1, Math.floor(a.fraction * order.length)) : 0;
    for (let k = 0; k < n && next < order.length; k++) behaviours[order[next++]] = swarmBehaviour(a.kind, a);
  }

  const emptyRejects = () => Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  const nodes: NodeState[] = world.nodes.map((w, i) => ({
    id: i, peer: `peer${String(i).padStart(4, "0")}`, account: `n${i}`, behaviour: behaviours[i], joined: false,
    roundsDone: 0, roundsMissed: 0, cumulativeReward: 0, rewardByRound: new Map(), batch: 0, signals: new Map(),
    lastSubmit: 0, inbox: [], externalUsed: 0, rejected: emptyRejects(), accepted: 0, sybilIds: [], fromMalformed: 0,
  }));
  const oom: number[] = [];
  const chain = { calls: 0, errors: {} as Record<string, number>, submittedRewards: new Map<string, bigint>(), submittedWins: new Map<string, number>(), stageRewards: new Map<string, bigint>() };
  const tryCall = (what: string, node: NodeState, fn: () => void): boolean => {
    try {
      fn();
      chain.calls++;
      return true;
    } catch (err) {
      // The real client logs contract errors and keeps its state (rl-swarm 6a64bb3).
      if (!(err instanceof LedgerRevert)) throw err;
      chain.errors[err.errorName] = (chain.errors[err.errorName] ?? 0) + 1;
      trace.emit("rlswarm.chainError", { node: node.id, call: what, error: err.errorName });
      return false;
    }
  };

  // ---------------------------------------------------------------- batched compute
  type GenSlot = { node: number; prompts: number[][]; rng: Rng; result: number[][] | null };
  let genQueue: GenSlot[] = [];
  let trainQueue: { node: number; rows: TrainRow[] }[] = [];
  const compute = { genBatches: 0, trainBatches: 0 };
  const flushTrain = () => {
    if (trainQueue.length === 0) return;
    policies.step(trainQueue, p.lr, p.iterations);
    compute.trainBatches++;
    trainQueue = [];
  };
  const flushGen = () => {
    flushTrain();
    if (genQueue.length === 0) return;
    const out = policies.generate(genQueue.map((s) => ({ node: s.node, prompts: s.prompts, maxNew: MAX_NEW, rng: s.rng })));
    genQueue.forEach((s, k) => (s.result = out[k]));
    compute.genBatches++;
    genQueue = [];
  };

  const flopRate = (i: number) => world.nodes[i].hardware.peakFlops * world.nodes[i].hardware.efficiency / (world.nodes[i].slowdown * nodes[i].behaviour.slowdown);
  const virtTokens = p.virtual.tokensPerCompletion;
  const genUsOf = (i: number, completions: number) => Math.max(1, Math.round(((2 * p.virtual.parameters * completions * virtTokens) / flopRate(i)) * SECOND));
  const trainUsOf = (i: number, completions: number) => Math.max(1, Math.round(((6 * p.iterations * p.virtual.parameters * completions * virtTokens) / flopRate(i)) * SECOND));
  const genUs = (i: number) => genUsOf(i, p.I * p.L);
  const trainUs = (i: number) => trainUsOf(i, (p.I + p.J) * p.L);
  const bytes = p.I * payloadBytes(p.L, virtTokens);
  const roundSums = new Map<number, { sum: number; n: number }>();
  const members: number[] = [];

  // ---------------------------------------------------------------- one node
  function* nodeLoop(me: NodeState): ProcessGenerator<void> {
    let local = -1;
    const specialty = SPECIALTIES[me.id % SPECIALTIES.length];
    while (true) {
      let wait = p.pollMinS * SECOND;
      while (ledger.currentRound() <= local && ledger.currentRound() < p.rounds) {
        yield new Timeout(env, wait);
        wait = Math.min(wait * 2, p.pollMaxS * SECOND);
      }
      const r = ledger.currentRound();
      if (r >= p.rounds) return;
      if (!world.nodes[me.id].available) {
        yield new Timeout(env, p.pollMinS * SECOND);
        continue;
      }
      me.roundsMissed += r - local - 1;
      // Generate: I questions, L completions each, from this node's own streams.
      const qRng = streams.stream("rlswarm", "node", me.id, "round", r, "questions");
      const tasks = Array.from({ length: p.I }, () => sampleTask(qRng.random() < p.specialtyShare ? specialty : SPECIALTIES[qRng.int(SPECIALTIES.length)], qRng));
      const slot: GenSlot = { node: me.id, prompts: tasks.flatMap((t) => Array.from({ length: p.L }, () => encodeText(t.prompt))), rng: streams.stream("rlswarm", "node", me.id, "round", r, "gen"), result: null };
      genQueue.push(slot);
      yield new Timeout(env, genUs(me.id));
      if (slot.result === null) flushGen();
      const texts = slot.result!.map((c) => decodeTokens(c));
      const groups = tasks.map((t, q) => texts.slice(q * p.L, (q + 1) * p.L));
      const localRewards = groups.map((g, q) => g.map((c) => rewardAgainst(tasks[q].answer, c)));
      const flat = localRewards.flat();
      const meanReward = flat.reduce((a, b) => a + b, 0) / flat.length;
      me.rewardByRound.set(r, meanReward);
      me.cumulativeReward += meanReward;
      const rs = roundSums.get(r) ?? { sum: 0, n: 0 };
      if (me.behaviour.kind === "honest") (rs.sum += meanReward, rs.n++);
      roundSums.set(r, rs);
      // Publish: one DHT put of the round's payloads, delivered to each peer by the network.
      const honest: Payload[] = tasks.map((t, q) => ({ peer: me.peer, round: r, index: q, question: t.prompt, answer: t.answer, reward: localRewards[q].reduce((a, b) => a + b, 0), completions: groups[q] }));
      if (me.behaviour.publishes) {
        const raw = me.behaviour.publish ? me.behaviour.publish(honest, streams.stream("rlswarm", "node", me.id, "round", r, "adversary")) : honest;
        for (const j of members) {
          if (j === me.id) continue;
          world.network.send(me.id, j, bytes).addCallback((ev: SimEvent<any>) => {
            const d = ev.value as Delivery;
            if (d.delivered && !d.corrupted) nodes[j].inbox.push({ raw, slot: r, at: env.now, from: me.id });
          });
        }
      }
      yield new Timeout(env, p.gatherWindowS * SECOND);
      // Gather whatever has arrived under this round's key and is still alive (no barrier).
      const ttl = p.ttlS * SECOND;
      me.inbox = me.inbox.filter((a) => env.now - a.at <= ttl && a.slot >= r);
      const got = me.inbox.filter((a) => a.slot === r);
      const candidates: Candidate[] = [];
      for (const a of got) {
        const list = Array.isArray(a.raw) ? a.raw : [a.raw];
        if (nodes[a.from].behaviour.kind === "malformed") me.fromMalformed += list.length;
        for (const item of list) {
          const v = validatePayload(item, { L: p.L, round: r, maxChars: p.maxPayloadChars });
          if (!v.ok) {
            me.rejected[v.reason]++;
            continue;
          }
          if (v.payload.peer === me.peer) continue;
          me.accepted++;
          const gold = p.verifyWith === "own-solver" ? (solve(v.payload.question) ?? "\u0000") : v.payload.answer;
          candidates.push({ payload: v.payload, rewards: v.payload.completions.map((c) => rewardAgainst(gold, c)) });
        }
      }
      me.inbox = me.inbox.filter((a) => a.slot > r);
      const chosen = selectExternal(p.selection, candidates, p.J, streams.stream("rlswarm", "node", me.id, "round", r, "select"));
      me.externalUsed += chosen.length;
      // Training set: I local + J external groups; external text re-tokenised (unknown characters dropped).
      const rows: TrainRow[] = [];
      groups.forEach((g, q) => {
        const adv = groupAdvantages(localRewards[q]);
        g.forEach((c, k) => rows.push({ prompt: encodeText(tasks[q].prompt), completion: slot.result![q * p.L + k], advantage: adv[k] }));
      });
      for (const c of chosen) {
        const adv = groupAdvantages(c.rewards);
        const prompt = safeEncode(c.payload.question).slice(0, CONTEXT - 1);
        c.payload.completions.forEach((t, k) => rows.push({ prompt, completion: safeEncode(t).slice(0, CONTEXT + 1 - prompt.length), advantage: adv[k] }));
      }
      if (jobs) yield* jobs.step(me, r, rows);
      else {
        trainQueue.push({ node: me.id, rows });
        yield new Timeout(env, trainUs(me.id));
      }
      // Round signals (genrl): every tree's reward sum by agent; one's own s > 0 maps to s + 1.
      const own = flat.reduce((a, b) => a + b, 0);
      me.batch += own > 0 ? own + 1 : 0;
      me.signals = new Map([[me.peer, own]]);
      for (const c of chosen) me.signals.set(c.payload.peer, (me.signals.get(c.payload.peer) ?? 0) + c.rewards.reduce((a, b) => a + b, 0));
      me.roundsDone++;
      local = r;
      if (env.now - me.lastSubmit >= p.submitEveryS * SECOND) submit(me, r);
    }
  }

  const safeEncode = (s: string) => {
    const out: number[] = [];
    for (const ch of s) {
      const t = "0123456789+-*/&|=._abcfl".indexOf(ch);
      if (t >= 0) out.push(t);
    }
    return out;
  };

  function submit(me: NodeState, r: number): void {
    me.lastSubmit = env.now;
    const reward = BigInt(Math.floor(me.batch));
    if (tryCall("submitReward", me, () => ledger.submitReward(me.account, r, 0, reward, me.peer))) {
      chain.submittedRewards.set(me.peer, (chain.submittedRewards.get(me.peer) ?? 0n) + reward);
      me.batch = 0;
    }
    // Winner vote: argmax agent of the round's signals (ties: lowest peer id); a sybil votes its own ids.
    const voters = [me.peer, ...me.sybilIds];
    voters.forEach((voter, k) => {
      let winner = me.peer;
      if (me.sybilIds.length > 0) winner = me.sybilIds[k % me.sybilIds.length];
      else for (const [a, s] of [...me.signals].sort((x, y) => (x[0] < y[0] ? -1 : 1))) if (s > (me.signals.get(winner) ?? -Infinity)) winner = a;
      if (tryCall("submitWinners", me, () => ledger.submitWinners(me.account, r, [winner], voter))) chain.submittedWins.set(winner, (chain.submittedWins.get(winner) ?? 0) + 1);
    });
  }

  // ---------------------------------------------------------------- join, clock, stop
  for (const me of nodes) {
    const fit = fits[me.id];
    if (!fit.fits) {
      oom.push(me.id);
      trace.emit("rlswarm.oom", { node: me.id, needBytes: fit.needBytes, haveBytes: fit.haveBytes });
      continue;
    }
    if (!tryCall("registerPeer", me, () => ledger.registerPeer(me.account, me.peer))) continue;
    for (let k = 0; k < me.behaviour.sybilIds; k++) {
      const id = `${me.peer}.sybil${k}`;
      if (tryCall("registerPeer", me, () => ledger.registerPeer(me.account, id))) me.sybilIds.push(id);
    }
    me.joined = true;
    members.push(me.id);
  }
  // ---------------------------------------------------------------- v1 runtime
  const stageTallies: StageTallies = { sum: STAGES.map(() => 0), n: STAGES.map(() => 0) };
  const runtime: SwarmRuntime = {
    env, p, ledger, streams, world, nodes, members,
    *generate(me, prompts, rng, us) {
      const slot: GenSlot = { node: me.id, prompts, rng, result: null };
      genQueue.push(slot);
      yield new Timeout(env, us);
      if (slot.result === null) flushGen();
      return slot.result!;
    },
    *train(me, rows, us) {
      trainQueue.push({ node: me.id, rows });
      yield new Timeout(env, us);
    },
    publish(me, raw, slot) {
      for (const j of members) {
        if (j === me.id) continue;
        world.network.send(me.id, j, bytes).addCallback((ev: SimEvent<any>) => {
          const d = ev.value as Delivery;
          if (d.delivered && !d.corrupted) nodes[j].inbox.push({ raw, slot, at: env.now, from: me.id });
        });
      }
    },
    *gather(me, slot) {
      yield new Timeout(env, p.gatherWindowS * SECOND);
      const ttl = p.ttlS * SECOND;
      const got = me.inbox.filter((a) => a.slot === slot && env.now - a.at <= ttl).map((a) => ({ raw: a.raw, from: a.from }));
      me.inbox = me.inbox.filter((a) => a.slot > slot && env.now - a.at <= ttl);
      return got;
    },
    tryCall,
    tallyReward(me, round, stage, reward) {
      chain.submittedRewards.set(me.peer, (chain.submittedRewards.get(me.peer) ?? 0n) + reward);
      const key = `${round}|${stage}|${me.account}`;
      chain.stageRewards.set(key, (chain.stageRewards.get(key) ?? 0n) + reward);
    },
    tallyWin(winner) {
      chain.submittedWins.set(winner, (chain.submittedWins.get(winner) ?? 0) + 1);
    },
    recordRound(me, r, reward) {
      const rs = roundSums.get(r) ?? { sum: 0, n: 0 };
      if (me.behaviour.kind === "honest") (rs.sum += reward, rs.n++);
      roundSums.set(r, rs);
    },
    genUs: genUsOf,
    trainUs: trainUsOf,
  };

  // GRPO steps as protocol jobs (stepJobs.ts) when `verify` is set: one per member per round.
  const jobs = p.verify
    ? new SwarmStepJobs({
      ...p.verify, env, ledger, config, blockTimeS: p.blockTimeS, trace, world, streams, policies, reference: repopsBackend, backend, lr: p.lr, nodes, members,
      virtualFlopsPerStep: 6 * p.virtual.parameters * (p.I + p.J) * p.L * virtTokens,
    })
    : null;
  jobs?.fund(members.length * p.rounds);
  const procs = members.map((i) => env.process(staged ? stagedNodeLoop(runtime, nodes[i], stageTallies) : nodeLoop(nodes[i]), `rlswarm node ${i}`));
  const startRound = ledger.currentRound();
  const stageCount = ledger.swarmView().stageCount();
  const stageManager = env.process((function* (): ProcessGenerator<void> {
    // The chain's round 0 is live at start; the stage manager advances one stage per
    // roundPeriodS / stageCount (one round per period).
    const stageUs = Math.max(1, Math.round((p.roundPeriodS * SECOND) / stageCount));
    for (let k = startRound; k < p.rounds; k++) {
      let before = ledger.currentRound();
      while (ledger.currentRound() === before) {
        yield new Timeout(env, stageUs);
        ledger.updateStageAndRound(systemAccounts.operator);
      }
      metrics.record("rlswarm.round", ledger.currentRound());
      const rs = roundSums.get(k);
      if (rs && rs.n > 0) metrics.record("rlswarm.reward", rs.sum / rs.n, { round: String(k) });
      before = ledger.currentRound();
    }
  })(), "rlswarm stage manager");
  const rounds = env.allOf([stageManager, ...procs]);
  // With step jobs the run ends once every job is paid or refunded (their games included).
  const done = jobs ? env.process((function* (): ProcessGenerator<void> {
    yield rounds;
    yield env.allOf(jobs.settled());
  })(), "rlswarm step jobs") : rounds;
  // A final submission of what is left, when the swarm stops.
  done.addCallback(() => {
    flushTrain();
    for (const i of members) if (nodes[i].batch > 0) submit(nodes[i], p.rounds - 1);
  });

  return {
    done,
    summary() {
      const honest = members.filter((i) => nodes[i].behaviour.kind === "honest");
      const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
      const curve = Array.from({ length: p.rounds }, (_, r) => {
        const rs = roundSums.get(r);
        return rs && rs.n > 0 ? rs.sum / rs.n : null;
      });
      const rejected = emptyRejects();
      for (const n of nodes) for (const r of REJECT_REASONS) rejected[r] += n.rejected[r];
      const totalRejected = REJECT_REASONS.reduce((a, r) => a + rejected[r], 0);
      const byKind: Record<string, { nodes: number; cumulativeReward: number }> = {};
      for (const i of members) {
        const k = nodes[i].behaviour.kind;
        byKind[k] ??= { nodes: 0, cumulativeReward: 0 };
        byKind[k].nodes++;
        byKind[k].cumulativeReward += nodes[i].cumulativeReward;
      }
      for (const k of Object.keys(byKind)) byKind[k].cumulativeReward /= byKind[k].nodes;
      // Coordinator tallies: what the simulator submitted vs what the ledger holds.
      const peers = [...new Set([...chain.submittedRewards.keys(), ...chain.submittedWins.keys()])].sort();
      let rewardMismatches = 0;
      let winMismatches = 0;
      for (const peer of peers) {
        if ((chain.submittedRewards.get(peer) ?? 0n) !== ledger.totalRewards(peer)) rewardMismatches++;
        if ((chain.submittedWins.get(peer) ?? 0) !== ledger.totalWins(peer)) winMismatches++;
      }
      // v1: every (round, stage, account) the nodes submitted against getRoundStageReward.
      let stageRewardMismatches = 0;
      for (const [key, v] of chain.stageRewards) {
        const [r, st, acct] = key.split("|");
        if (ledger.swarmView().roundStageReward(Number(r), Number(st), acct) !== v) stageRewardMismatches++;
      }
      const sybilWins = members.flatMap((i) => nodes[i].sybilIds).reduce((a, id) => a + ledger.totalWins(id), 0);
      const allWins = peers.reduce((a, id) => a + ledger.totalWins(id), 0);
      const inst = instability(curve.map((x) => x ?? 0), 10);
      return {
        kind: "rlswarm",
        nodes: N,
        members: members.length,
        oomRefused: oom.length,
        stages: p.stages, I: p.I, J: p.J, L: p.L, selection: p.selection, rounds: p.rounds, iterations: p.iterations,
        ...(staged ? { stageReward: Object.fromEntries(STAGES.map((name, k) => [name, stageTallies.n[k] > 0 ? Math.round((stageTallies.sum[k] / stageTallies.n[k]) * 1e4) / 1e4 : 0])) } : {}),
        cumulativeReward: mean(honest.map((i) => nodes[i].cumulativeReward)),
        finalReward: mean(curve.slice(-10).filter((x): x is number => x !== null)),
        firstReward: mean(curve.slice(0, 10).filter((x): x is number => x !== null)),
        instability: inst,
        byKind,
        roundsDone: mean(honest.map((i) => nodes[i].roundsDone)),
        roundsMissed: mean(members.map((i) => nodes[i].roundsMissed)),
        externalPerRound: mean(honest.map((i) => nodes[i].externalUsed / Math.max(1, nodes[i].roundsDone))),
        payloads: { accepted: members.reduce((a, i) => a + nodes[i].accepted, 0), rejected: totalRejected, rejectedBy: rejected, fromMalformed: members.reduce((a, i) => a + nodes[i].fromMalformed, 0) },
        chain: {
          currentRound: ledger.currentRound(), calls: chain.calls, errors: Object.fromEntries(Object.entries(chain.errors).sort()),
          totalRewards: peers.reduce((a, id) => a + Number(ledger.totalRewards(id)), 0),
          totalWins: allWins, sybilWinShare: allWins > 0 ? sybilWins / allWins : 0,
          rewardMismatches, winMismatches, stageRewardMismatches, stageRewardsSubmitted: chain.stageRewards.size,
        },
        ...(jobs ? { jobs: jobs.summary() } : {}),
        compute: {
          genBatches: compute.genBatches, trainBatches: compute.trainBatches, adamSteps: Array.from(policies.steps).reduce((a, b) => a + b, 0),
          // iterations > 1: share of advantage-carrying completion tokens whose gradient the clip zeroed.
          clipFraction: policies.clip.tokens > 0 ? Math.round((policies.clip.clipped / policies.clip.tokens) * 1e4) / 1e4 : 0,
        },
        curve: curve.map((x) => (x === null ? null : Math.round(x * 1e4) / 1e4)),
        perNode: members.map((i) => Math.round(nodes[i].cumulativeReward * 1e4) / 1e4),
        hours: env.now / HOUR,
      };
    },
  };
}
