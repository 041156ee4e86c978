// RL Swarm v1 (`stages: 3`, REFERENCE §7): a round is three stages on the round's shared questions
// (answer; critique: pick the index of a correct peer answer; resolve: the final answer given the
// peers' answers). The coordinator runs with stageCount 3 and its stage manager advances each
// stage; a node starts stage s of round r only once the chain has reached it. Per stage the node
// generates I x L completions, scores them with its own verifier (stagedTasks.ts), publishes its
// best completion per question (v1's payload), gathers the stage's payloads after the window,
// takes one GRPO update on its own I groups, and submits the stage's reward
// (submitReward(r, s, max(0, floor(sum)))). The shown answers of stages 1 and 2 are the stage-0
// answers of the SHOWN peers (itself included) with the highest self-reported stage-0 reward
// (v1's top-k pick). After stage 2 it re-scores every gathered final answer with its own gold and
// votes for the best peer (winners[:1]).
import { SECOND, Timeout, type ProcessGenerator } from "../../des/index.ts";
import { groupAdvantages, type TrainRow } from "./grpo.ts";
import { validatePayload, type Payload } from "./payload.ts";
import { roundQuestions, SHOWN, shownAnswer, stagePrompt, stageReward, STAGES } from "./stagedTasks.ts";
import type { SwarmNode, SwarmRuntime } from "./swarmRuntime.ts";
import { encodeText, decodeTokens, rewardAgainst } from "./tasks.ts";

/** The DHT slot of (round, stage): v1's rl_swarm_outputs_{peer}_{r}_{s} key. */
export const stageSlot = (round: number, stage: number) => round * STAGES.length + stage;

/** Per-stage sums over honest nodes: rewards per completion and how many. */
export interface StageTallies {
  sum: number[];
  n: number[];
}

/** The top SHOWN peers by self-reported reward (ties: peer id), answers in that order. */
export function pickShown(answers: readonly { peer: string; reward: number; answer: string }[]): string[] {
  return [...answers].sort((a, b) => b.reward - a.reward || (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0)).slice(0, SHOWN).map((a) => a.answer);
}

export function* stagedNodeLoop(rt: SwarmRuntime, me: SwarmNode, stages: StageTallies): ProcessGenerator<void> {
  const { env, p, ledger, streams } = rt;
  let local = -1;
  while (true) {
    let wait = p.pollMinS * SECOND;
    while (ledger.currentRound() <= local && ledger.currentRound() < p.rounds) {
      yield new Timeout(env, wait);
      wait = Math.min(wait * 2, p.pollMaxS * SECOND);
    }
    const r = ledger.currentRound();
    if (r >= p.rounds) return;
    if (!rt.world.nodes[me.id].available) {
      yield new Timeout(env, p.pollMinS * SECOND);
      continue;
    }
    me.roundsMissed += r - local - 1;
    const tasks = roundQuestions(p.I, streams.stream("rlswarm", "round", r, "questions"));
    let shown: string[][] = tasks.map(() => []);
    let finalMean = 0;
    for (let s = 0; s < STAGES.length; s++) {
      // Do not start a stage the chain has not reached (poll at the first backoff step).
      while (ledger.currentRound() === r && ledger.currentStage() < s) yield new Timeout(env, p.pollMinS * SECOND);
      const prompts = tasks.map((t, q) => stagePrompt(s, t.prompt, shown[q]));
      const out = yield* rt.generate(me, prompts.flatMap((pr) => Array.from({ length: p.L }, () => encodeText(pr))), streams.stream("rlswarm", "node", me.id, "round", r, "stage", s, "gen"), rt.genUs(me.id, p.I * p.L));
      const texts = out.map((c) => decodeTokens(c));
      const rewards = tasks.map((t, q) => texts.slice(q * p.L, (q + 1) * p.L).map((c) => stageReward(s, t.answer, shown[q], c)));
      const flat = rewards.flat();
      const total = flat.reduce((a, b) => a + b, 0);
      if (me.behaviour.kind === "honest") (stages.sum[s] += total, stages.n[s] += flat.length);
      if (s === STAGES.length - 1) finalMean = total / flat.length;
      // Publish the best completion per question (v1's payload), the group's summed reward as its signal.
      const honest: Payload[] = tasks.map((t, q) => {
        const g = rewards[q];
        let best = 0;
        for (let k = 1; k < g.length; k++) if (g[k] > g[best]) best = k;
        return { peer: me.peer, round: r, stage: s, index: q, question: prompts[q], answer: t.answer, reward: g.reduce((a, b) => a + b, 0), completions: [texts[q * p.L + best]] };
      });
      if (me.behaviour.publishes) {
        const raw = me.behaviour.publish ? me.behaviour.publish(honest, streams.stream("rlswarm", "node", me.id, "round", r, "stage", s, "adversary")) : honest;
        rt.publish(me, raw, stageSlot(r, s));
      }
      const got = yield* rt.gather(me, stageSlot(r, s));
      const valid: Payload[] = [...honest];
      for (const a of got) {
        const list = Array.isArray(a.raw) ? a.raw : [a.raw];
        if (rt.nodes[a.from].behaviour.kind === "malformed") me.fromMalformed += list.length;
        for (const item of list) {
          const v = validatePayload(item, { L: 1, round: r, stage: s, maxChars: p.maxPayloadChars });
          if (!v.ok) {
            me.rejected[v.reason]++;
            continue;
          }
          // The stage prompt begins with the round's question (peers may show different answers).
          if (v.payload.peer === me.peer || v.payload.index >= tasks.length || !v.payload.question.startsWith(tasks[v.payload.index].prompt)) continue;
          me.accepted++;
          valid.push(v.payload);
        }
      }
      if (s === 0) {
        shown = tasks.map((_, q) => pickShown(valid.filter((v) => v.index === q).map((v) => ({ peer: v.peer, reward: v.reward, answer: shownAnswer(v.completions[0]) }))));
        me.externalUsed += shown.reduce((a, xs) => a + Math.max(0, xs.length - 1), 0);
      }
      // One GRPO update on the node's own groups of this stage.
      const rows: TrainRow[] = [];
      rewards.forEach((g, q) => {
        const adv = groupAdvantages(g);
        const prompt = encodeText(prompts[q]);
        g.forEach((_, k) => rows.push({ prompt, completion: out[q * p.L + k], advantage: adv[k] }));
      });
      yield* rt.train(me, rows, rt.trainUs(me.id, p.I * p.L));
      const reward = BigInt(Math.max(0, Math.floor(total)));
      if (rt.tryCall("submitReward", me, () => ledger.submitReward(me.account, r, s, reward, me.peer))) rt.tallyReward(me, r, s, reward);
      if (s === STAGES.length - 1) vote(rt, me, r, valid, tasks.map((t) => t.answer));
    }
    me.rewardByRound.set(r, finalMean);
    me.cumulativeReward += finalMean;
    rt.recordRound(me, r, finalMean);
    me.roundsDone++;
    local = r;
  }
}

/** Round winners: every gathered final answer re-scored against the node's own gold, summed per peer; the top one (ties: lowest id). */
function vote(rt: SwarmRuntime, me: SwarmNode, r: number, finals: readonly Payload[], gold: readonly string[]): void {
  const score = new Map<string, number>();
  for (const f of finals) score.set(f.peer, (score.get(f.peer) ?? 0) + rewardAgainst(gold[f.index], f.completions[0]));
  let winner = me.peer;
  for (const [peer, s] of [...score].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (s > score.get(winner)!) winner = peer;
  me.signals = score;
  const voters = [me.peer, ...me.sybilIds];
  voters.forEach((voter, k) => {
    const w = me.sybilIds.length > 0 ? me.sybilIds[k % me.sybilIds.length] : winner;
    if (rt.tryCall("submitWinners", me, () => rt.ledger.submitWinners(me.account, r, [w], voter))) rt.tallyWin(w);
  });
}
