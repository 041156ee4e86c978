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
import { startRlswarm } from "./swarm.ts";

function runSwarm(seed: number, params: Record<string, unknown>) {
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
  const ledger = new MemoryLedger({ ...defaultLedgerConfig, swarm: { stageCount: 1 } }, { clock: () => defaultLedgerConfig.genesisTime + Math.floor(env.now / 1e6) });
  const run = startRlswarm(ctx, p, ledger, repopsBackend);
  env.run(run.done);
  return { s: run.summary() as Record<string, any>, text: JSON.stringify(run.summary()) + lines.join("\n") };
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
  test("schema refuses the v1 mode with a clear error", () => {
    const r = rlswarmSchema.safeParse({ stages: 3 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("v1 three-stage mode");
  });
});
