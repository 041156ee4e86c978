// The rlswarm workload end to end on a small world: same seed, same bytes; adversaries counted;
// the coordinator's totals equal the simulator's own tallies; OOM nodes refuse to join.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../../des/index.ts";
import { defaultLedgerConfig } from "../../ledger/deployment.ts";
import { MemoryLedger } from "../../ledger/memoryLedger.ts";
import { repopsBackend } from "../../ml/backends/repops.ts";
import type { RunContext } from "../../run/context.ts";
import { World } from "../../world/world.ts";
import { rlswarmSchema } from "./params.ts";
import { startWithCleanTwin } from "./cleanTwin.ts";
import { startRlswarm } from "./swarm.ts";

function runSwarm(seed: number, params: Record<string, unknown>, twin = false) {
  const env = new Environment();
  const streams = new RngStreams(seed);
  const world = new World(env, streams, {
    groups: [
      { count: 5, hardware: { h100: 1 }, regions: { "us-east": 0.5, "eu-west": 0.5 }, link: { cloud: 1 } },
      { count: 1, hardware: { rtx3060: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } },
    ],
    network: { loss: 0, jitter: 0.1, partitions: [] },
    churn: null,
    computeJitter: 0,
  });
  const lines: string[] = [];
  const ctx = {
    env, streams, world, backend: "repops", settle: "memory",
    trace: { emit: (type: string, fields: object) => lines.push(JSON.stringify({ t: env.now, type, ...fields })) },
    metrics: { record: (name: string, value: number) => lines.push(`${env.now},${name},${value}`) },
    onBarrier() {},
  } as unknown as RunContext;
  const p = rlswarmSchema.parse({ rounds: 6, I: 2, J: 2, L: 2, submitEveryS: 60, pretrain: { steps: 5 }, model: { width: 16 }, virtual: { parameters: 1e9 }, ...params });
  const config = { ...defaultLedgerConfig, swarm: { stageCount: p.stages } };
  const ledger = new MemoryLedger(config, { clock: () => defaultLedgerConfig.genesisTime + Math.floor(env.now / 1e6) });
  const run = twin ? startWithCleanTwin(ctx, p, ledger, repopsBackend, config) : startRlswarm(ctx, p, ledger, repopsBackend);
  env.run(run.done);
  return { s: run.summary() as Record<string, any>, text: JSON.stringify(run.summary()) + lines.join("\n"), ledger };
}

describe("rlswarm workload", () => {
  test("same seed, same summary and trace; another seed differs (seed 4)", () => {
    const a = runSwarm(4, {});
    expect(runSwarm(4, {}).text).toBe(a.text);
    expect(runSwarm(5, {}).text).not.toBe(a.text);
    expect(a.s.members).toBe(5);
    expect(a.s.oomRefused).toBe(1); // the 12 GB RTX 3060 cannot hold 1e9 x 16 bytes
    expect(a.s.roundsDone).toBe(6);
    expect(a.s.compute.adamSteps).toBe(5 * 6);
    expect(a.s.chain.currentRound).toBe(6);
    expect(a.s.chain.rewardMismatches).toBe(0);
    expect(a.s.chain.winMismatches).toBe(0);
    expect(a.s.chain.totalWins).toBeGreaterThan(0);
  }, 60_000);
  test("malformed publishers are rejected with reasons, nobody crashes; free-riders publish nothing", () => {
    const m = runSwarm(4, { adversaries: [{ kind: "malformed", fraction: 0.4 }] });
    expect(m.s.payloads.rejected).toBeGreaterThan(0);
    expect(m.s.roundsDone).toBe(6);
    const f = runSwarm(4, { adversaries: [{ kind: "free-rider", fraction: 0.4 }] });
    const h = runSwarm(4, {});
    // 2 of 5 publish nothing: fewer payloads accepted than in the honest swarm.
    expect(f.s.payloads.accepted).toBeLessThan(h.s.payloads.accepted);
    expect(f.s.payloads.rejected).toBe(0);
  }, 60_000);
  test("a sybil's extra ids collect its votes", () => {
    const s = runSwarm(4, { adversaries: [{ kind: "sybil", fraction: 0.2, ids: 3 }] });
    expect(s.s.chain.errors).toEqual({});
    expect(s.s.chain.sybilWinShare).toBeGreaterThan(0.3);
    expect(s.s.chain.winMismatches).toBe(0);
  }, 60_000);
  test("a slow node misses rounds", () => {
    const s = runSwarm(4, { adversaries: [{ kind: "slow", fraction: 0.2, slowdown: 1000 }], roundPeriodS: 10 });
    expect(s.s.roundsMissed).toBeGreaterThan(0);
  }, 60_000);
  test("v1 (stages: 3): three stages per round on a stageCount-3 coordinator, every stage's reward on chain (seed 4)", () => {
    const a = runSwarm(4, { stages: 3, rounds: 4, pretrain: { steps: 80 }, model: { width: 32 }, L: 4 });
    const V = a.ledger.swarmView();
    expect([V.stageCount(), V.currentRound(), V.currentStage()]).toEqual([3, 4, 0]);
    expect(a.s.roundsDone).toBe(4);
    expect(a.s.chain.errors).toEqual({});
    // 5 members x 4 rounds x 3 stages, each submitReward(r, s) accepted and equal to the node's own tally.
    expect(a.s.chain.stageRewardsSubmitted).toBe(60);
    expect(a.s.chain.stageRewardMismatches).toBe(0);
    expect(a.s.chain.rewardMismatches).toBe(0);
    expect(a.s.chain.winMismatches).toBe(0);
    expect(a.s.chain.totalWins).toBe(5 * 4); // one winner per member per round (winners[:1])
    // Per account, the stage rewards add up to the peer's total.
    for (let n = 0; n < 5; n++) {
      let sum = 0n;
      for (let r = 0; r < 4; r++) for (let st = 0; st < 3; st++) sum += V.roundStageReward(r, st, `n${n}`);
      expect(sum).toBe(V.totalRewards(`peer000${n}`));
    }
    // Real scoring: node 0's round-0 stage rewards (answer, critique, resolve) as submitted.
    expect([0, 1, 2].map((st) => Number(V.roundStageReward(0, st, "n0")))).toEqual([2, 4, 1]);
    expect(a.s.stageReward.critique).toBeGreaterThan(0);
    expect(a.s.compute.adamSteps).toBe(5 * 4 * 3);
  }, 60_000);
  test("v1 with malformed publishers and a poisoner: every malformed stage payload rejected, nobody crashes (seed 4)", () => {
    const a = runSwarm(4, { stages: 3, rounds: 3, adversaries: [{ kind: "malformed", fraction: 0.4 }, { kind: "poisoner", fraction: 0.2 }] });
    expect(a.s.roundsDone).toBe(3);
    expect(a.s.payloads.fromMalformed).toBeGreaterThan(0);
    expect(a.s.payloads.rejected).toBe(a.s.payloads.fromMalformed);
    expect(a.s.chain.errors).toEqual({});
    expect(a.s.chain.stageRewardsSubmitted).toBe(5 * 3 * 3);
  }, 60_000);
  test("iterations > 1: several clipped updates per round, and the clip binds (seed 4)", () => {
    const base = { lr: 0.01, rounds: 3, pretrain: { steps: 80 }, model: { width: 32 }, L: 4 };
    const one = runSwarm(4, base);
    const four = runSwarm(4, { ...base, iterations: 4 });
    expect(one.s.compute.clipFraction).toBe(0); // ratio exactly 1: the clipped graph is not even used
    expect(four.s.compute.adamSteps).toBe(5 * 3 * 4);
    expect(four.s.compute.clipFraction).toBeGreaterThan(0.05);
    expect(four.s.compute.clipFraction).toBeLessThan(0.9);
  }, 60_000);
  test("cleanTwin: the same swarm without adversaries runs afterwards, paired (seed 4)", () => {
    const adv = { adversaries: [{ kind: "poisoner", fraction: 0.4 }], cleanTwin: true };
    const a = runSwarm(4, adv, true);
    expect(a.s.byKind.poisoner.nodes).toBe(2);
    expect(a.s.clean.byKind).toEqual({ honest: { nodes: 5, cumulativeReward: a.s.clean.cumulativeReward } });
    expect(a.s.clean.roundsDone).toBe(6);
    expect(a.s.clean.chain.rewardMismatches).toBe(0);
    // The twin is the plain clean swarm's run: same draws, so the same cumulative reward.
    const clean = runSwarm(4, {});
    expect(a.s.clean.cumulativeReward).toBeCloseTo(clean.s.cumulativeReward, 10);
    // Without cleanTwin nothing else runs.
    expect(runSwarm(4, { adversaries: adv.adversaries }, true).s.clean).toBeUndefined();
  }, 60_000);
  test("verify: GRPO steps as protocol jobs; a poisoner's steps are challenged and slashed, honest ones paid (seed 4)", () => {
    const big = { pretrain: { steps: 80 }, model: { width: 32 }, L: 4, rounds: 3 };
    const a = runSwarm(4, { ...big, adversaries: [{ kind: "poisoner", fraction: 0.2 }], verify: { rate: 1 } });
    // 5 members x 3 rounds: the poisoner's 3 steps (core/agents poison: updates reversed x 10) are
    // re-executed, mismatch, challenged and lost on chain (3 x 500 GSN slashed); 12 honest steps paid.
    expect(a.s.jobs.poison).toEqual({ jobs: 3, checked: 3, challenged: 3, rejected: 3, paid: 0 });
    expect(a.s.jobs.honest).toEqual({ jobs: 12, checked: 12, challenged: 0, rejected: 0, paid: 12 });
    expect(a.s.jobs.slashedGsn).toEqual({ honest: 0, poison: 1500 });
    expect(a.s.compute.adamSteps).toBe(15);
    // An honest node's committed step is the batched step: same rewards with and without jobs.
    const plain = runSwarm(4, big);
    const jobs = runSwarm(4, { ...big, verify: { rate: 1 } });
    expect(jobs.s.perNode).toEqual(plain.s.perNode);
    expect(jobs.s.curve).toEqual(plain.s.curve);
    expect(plain.s.cumulativeReward).toBeGreaterThan(0);
    expect(rlswarmSchema.safeParse({ stages: 3, verify: { rate: 1 } }).success).toBe(false);
  }, 120_000);
  test("schema: stages 1 or 3, nothing else", () => {
    expect(rlswarmSchema.parse({ stages: 3 }).stages).toBe(3);
    const r = rlswarmSchema.safeParse({ stages: 2 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("stages must be 1 (v2 / SAPO) or 3");
  });
});
