// The verde-disputes workload on a small world: adversaries are caught, honest repops providers
// never disputed, honest providers whose hardware runs another kernel raise false disputes.
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
  const chunks: string[] = [];
  const trace = new Trace(env, (chunk) => chunks.push(chunk));
  const ctx = createRunContext({ env, streams, world, trace, metrics: new Metrics(env), backend: "repops" });
  const w = await verdeDisputesWorkload.start(ctx, verdeDisputesSchema.parse(params));
  env.run(w.done!);
  trace.flush();
  const events = chunks.join("").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
  return { summary: w.summary() as any, trace, events };
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

  test("backend by hardware: repops-fma on the H100s disputes every repops partner and loses; repops pairs never dispute", async () => {
    const { summary, events } = await run({ jobs: 12, steps: 6, providers: 2, honestPerJob: 2, backendByHardware: { h100: "repops-fma", default: "repops" } }, 3);
    expect(summary.finishedJobs).toBe(12);
    expect(summary.honestOnlyJobs).toBe(12);
    // The world's nodes 0-3 are H100s (repops-fma), 4-11 RTX 4090s (repops); node 0 is the referee.
    const providers: string[] = events.filter((e) => e.type === "verde.job").flatMap((e) => e.providers.split(" "));
    expect(providers).toHaveLength(24);
    for (const p of providers) {
      const [id, kind, backend] = p.split(":");
      const h100 = Number(id.slice(4)) <= 3;
      expect({ id, kind, backend }).toEqual({ id, kind: h100 ? "honest-repops-fma" : "honest", backend: h100 ? "repops-fma" : "repops" });
    }
    const pairs = summary.pairs;
    expect(Object.keys(pairs)).toEqual(Object.keys(pairs).sort());
    const total = Object.values(pairs).reduce((a: number, r: any) => a + r.jobs, 0);
    expect(total).toBe(12);
    expect(pairs["repops|repops"].jobs).toBeGreaterThan(0);
    expect(pairs["repops|repops"].disputed).toBe(0);
    const mixed = pairs["repops|repops-fma"];
    expect(mixed.jobs).toBeGreaterThan(0);
    expect(mixed.disputeRate).toBe(1);
    expect(mixed.ruledFor).toEqual({ repops: mixed.disputed });
    expect(mixed.slashed).toEqual({ "repops-fma": mixed.disputed });
    expect(mixed.ops).toEqual({ matmul: mixed.disputed }); // the first op whose rounding differs
    expect(summary.honestReproducibleSlashed).toBe(0);
    expect(summary.reproduciblePairs).toMatchObject({ pairs: 1, disputed: 0 });
    expect(summary.mixedPairs).toMatchObject({ pairs: 1, disputed: mixed.disputed, minDisputeRate: 1 });
    expect(summary.falseDisputes).toBe(mixed.disputed + (pairs["repops-fma|repops-fma"]?.disputed ?? 0));
  });

  test("backendByHardware: a hardware with no entry and no default, or an unknown backend, is refused by name", async () => {
    await expect(run({ jobs: 1, steps: 2, backendByHardware: { h100: "repops" } })).rejects.toThrow("verde-disputes: backendByHardware: node 4 is rtx4090, which has no entry and there is no default");
    await expect(run({ jobs: 1, steps: 2, backendByHardware: { default: "repops", h100: "cuda" } })).rejects.toThrow('backendByHardware.h100: unknown ML backend "cuda"');
    const bad = verdeDisputesSchema.safeParse({ backendByHardware: { h200: "repops" } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ["backendByHardware", "h200"], message: expect.stringContaining('unknown hardware "h200"; known: h100, a100') });
    expect(verdeDisputesSchema.safeParse({ backendByHardware: {} }).success).toBe(false);
    expect(verdeDisputesSchema.parse({}).backendByHardware).toEqual({ default: "repops" });
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
