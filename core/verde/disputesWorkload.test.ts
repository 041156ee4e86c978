// The verde-disputes workload on a small world: adversaries are caught, honest repops providers
// never disputed, honest providers on a non-reproducible backend raise false disputes.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { createRunContext, Metrics, Trace } from "../run/index.ts";
import { World } from "../world/world.ts";
import { verdeDisputesSchema } from "./disputesParams.ts";
import { verdeDisputesWorkload } from "./disputesWorkload.ts";

async function run(params: Record<string, unknown>, seed = 1) {
  const env = new Environment();
  const streams = new RngStreams(seed);
  const world = new World(env, streams, {
    groups: [
      { count: 4, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { datacenter: 1 } },
      { count: 8, hardware: { rtx4090: 1 }, regions: { "eu-west": 0.5, "ap-northeast": 0.5 }, link: { fiber: 1 } },
    ],
    network: { loss: 0.01, jitter: 0.1, partitions: [] },
    churn: null,
    computeJitter: 0,
  });
  const trace = new Trace(env);
  const ctx = createRunContext({ env, streams, world, trace, metrics: new Metrics(env), backend: "repops" });
  const w = await verdeDisputesWorkload.start(ctx, verdeDisputesSchema.parse(params));
  env.run(w.done!);
  return { summary: w.summary() as any, trace };
}

describe("verde-disputes workload", () => {
  test("a mix of adversaries: every adversary is caught, every job keeps the honest result", async () => {
    const { summary } = await run({
      jobs: 12,
      steps: 24,
      providers: 3,
      mix: { honest: 1, "wrong-step": 1, "wrong-op": 1, lazy: 1, inconsistent: 1, stalling: 1, late: 1, colluding: 2 },
      every: "5m",
    });
    expect(summary.finishedJobs).toBe(12);
    expect(summary.adversarialProviders).toBeGreaterThan(10);
    expect(summary.detectionRate).toBe(1);
    expect(summary.honestSlashed).toBe(0);
    expect(summary.correctRate).toBe(1);
    expect(summary.refereeOps.max).toBe(1);
    expect(summary.refereeFlopsRatio.max).toBeLessThan(0.01);
    expect(summary.durationS.max).toBeGreaterThan(0);
    console.log(JSON.stringify(summary));
  });

  test("same seed, same summary", async () => {
    const params = { jobs: 4, steps: 10, providers: 3, mix: { honest: 1, "wrong-op": 1, colluding: 1 } };
    const a = await run(params, 9);
    const b = await run(params, 9);
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
    expect(a.trace.count).toBeGreaterThan(4);
    expect(a.trace.close()).toBe(b.trace.close());
  });

  test("honest providers on tfjs-cpu raise false disputes; the repops control arm raises none", async () => {
    const { summary } = await run({ jobs: 6, steps: 8, providers: 2, honestPerJob: 2, honestBackends: { repops: 1, "tfjs-cpu": 1 }, control: true }, 4);
    expect(summary.honestOnlyJobs).toBe(6);
    expect(summary.falseDisputes).toBeGreaterThan(0);
    expect(summary.falseDisputeRate).toBeCloseTo(summary.falseDisputes / 6, 6);
    expect(summary.byKind["honest-tfjs-cpu"].slashed).toBe(summary.honestSlashed);
    expect(summary.control.falseDisputeRate).toBe(0);
    expect(summary.control.correctRate).toBe(1);
  });

  test("the schema rejects unknown behaviours and unknown keys", () => {
    expect(() => verdeDisputesSchema.parse({ mix: { "evil-twin": 1 } })).toThrow();
    expect(() => verdeDisputesSchema.parse({ jobz: 3 })).toThrow();
    expect(verdeDisputesSchema.parse({ clock: "2h", every: 90 })).toMatchObject({ clock: 7_200_000_000, every: 90_000_000 });
  });

  test("jobs can be workers' inner steps on TRAINING's proxy task (non-iid shards): adversaries still caught", async () => {
    const { summary } = await run({
      job: { kind: "proxy-task", task: { inputs: 8, classes: 4, poolSize: 512, heldOutSize: 32 }, shardSize: 64 },
      jobs: 4,
      steps: 12,
      providers: 3,
      mix: { "wrong-op": 1, lazy: 1, colluding: 1 },
    });
    expect(summary.finishedJobs).toBe(4);
    expect(summary.adversarialProviders).toBe(8);
    expect(summary.detectionRate).toBe(1);
    expect(summary.correctRate).toBe(1);
  });
});
