// The dispute game's clocks and transport: per-party chess clocks over all rounds (REFERENCE §4),
// late parties lose, messages cross the world's network (loss, resend) and cost virtual time.
import { describe, expect, test } from "bun:test";
import { wrongStep } from "../agents/wrongStep.ts";
import { Environment, MINUTE, RngStreams } from "../des/index.ts";
import { World } from "../world/world.ts";
import { replicatedJob } from "./replicatedJob.ts";
import { HONEST, type Behaviour } from "./solver.ts";
import { runJob } from "./testing.ts";
import { TinyMlpProgram } from "./tinyMlpProgram.ts";
import { worldTransport } from "./worldTransport.ts";

const program = new TinyMlpProgram({ steps: 100, seed: 21 });
const slow = (b: Behaviour, perRoundUs: number): Behaviour => ({ ...b, delayUs: () => perRoundUs });

describe("chess clocks", () => {
  test("a slow honest provider that stays within its clock still wins; its clock shows the time it used", () => {
    const job = runJob(program, [
      { id: "honest", behaviour: slow(HONEST, 2 * MINUTE) },
      { id: "cheat", behaviour: wrongStep({ program, step: 50 }) },
    ], { clockUs: 60 * MINUTE });
    const d = job.disputes[0];
    expect(d.winner).toBe("honest");
    expect(d.reason).toBe("recomputed-op");
    expect(d.clockUsedUs[0]).toBeGreaterThanOrEqual(d.rounds * 2 * MINUTE);
    expect(d.clockUsedUs[0]).toBeLessThan(60 * MINUTE);
    expect(d.durationUs).toBeGreaterThanOrEqual(d.rounds * 2 * MINUTE);
  });

  test("the clock is cumulative: 10 minutes a round on a 1 h clock runs out in round 6 or 7", () => {
    const job = runJob(program, [
      { id: "honest", behaviour: HONEST },
      { id: "cheat", behaviour: slow(wrongStep({ program, step: 50 }), 10 * MINUTE) },
    ], { clockUs: 60 * MINUTE });
    const d = job.disputes[0];
    expect(d.winner).toBe("honest");
    expect(d.reason).toBe("timeout");
    expect(d.rounds).toBeGreaterThanOrEqual(6);
    expect(d.rounds).toBeLessThanOrEqual(7);
    expect(d.durationUs).toBeGreaterThanOrEqual(60 * MINUTE);
    expect(d.durationUs).toBeLessThan(70 * MINUTE);
  });
});

describe("clock extension (REFERENCE §4)", () => {
  test("with a 30 min extension a 10 min clock lets an honest provider take 20 min per answer and win", () => {
    const providers = [
      { id: "honest", behaviour: slow(HONEST, 20 * MINUTE) },
      { id: "cheat", behaviour: wrongStep({ program, step: 50 }) },
    ];
    const without = runJob(program, providers, { clockUs: 10 * MINUTE }).disputes[0];
    expect(without.winner).toBe("cheat");
    expect(without.reason).toBe("timeout");
    const withExt = runJob(program, providers, { clockUs: 10 * MINUTE, extensionUs: 30 * MINUTE }).disputes[0];
    expect(withExt.winner).toBe("honest");
    expect(withExt.clockUsedUs[0]).toBeGreaterThanOrEqual(withExt.rounds * 20 * MINUTE);
  });
});

describe("over the world's network", () => {
  function onWorld(loss: number) {
    const env = new Environment();
    const world = new World(env, new RngStreams(3), {
      groups: [{ count: 3, hardware: { rtx3060: 1 }, regions: { "sa-east": 0.5, "ap-northeast": 0.5 }, link: { dsl: 1 } }],
      network: { loss, jitter: 0.2, partitions: [] },
      churn: null,
      computeJitter: 0.1,
    });
    const transport = worldTransport(env, world, { nodeOf: (id) => Number(id.slice(4)) });
    const job = env.process(
      replicatedJob({
        env,
        transport,
        jobId: "j",
        referee: "node0",
        program,
        providers: [
          { id: "node1", behaviour: HONEST },
          { id: "node2", behaviour: wrongStep({ program, step: 77 }) },
        ],
      }),
    );
    env.run(job);
    return { outcome: job.value, world };
  }

  test("with 20% message loss the lost messages are resent and the honest provider wins", () => {
    const { outcome, world } = onWorld(0.2);
    const d = outcome.disputes[0];
    expect(d.winner).toBe("node1");
    expect(d.reason).toBe("recomputed-op");
    expect(world.network.stats.lost).toBeGreaterThan(0);
    // Each round crosses continents over DSL twice: far longer than the bare protocol.
    expect(d.durationUs).toBeGreaterThan(d.rounds * 2 * 100_000);
  });

  test("fixed seed: the same world gives the same dispute to the microsecond", () => {
    const a = onWorld(0.05).outcome.disputes[0];
    const b = onWorld(0.05).outcome.disputes[0];
    expect(a.durationUs).toBe(b.durationUs);
    expect(a.bytes).toBe(b.bytes);
  });
});
