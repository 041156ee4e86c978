// A small real world for the training tests (not used by runs): 6 H100s over two regions, a
// kernel, seeded streams, a trace kept as lines, and optional churn or node outages by hand.
import { Environment, RngStreams } from "../des/index.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { World } from "../world/world.ts";
import type { WorldSpec } from "../world/spec.ts";
import { trainCompare } from "./trainCompare.ts";
import type { TrainContext } from "./trainContext.ts";
import { trainCompareSchema } from "./trainParams.ts";

export function trainTestContext(seed: number, spec: Partial<WorldSpec> = {}): { ctx: TrainContext; world: World; lines: string[] } {
  const env = new Environment();
  const streams = new RngStreams(seed);
  const world = new World(env, streams, {
    groups: [{ count: 6, hardware: { h100: 1 }, regions: { "us-east": 0.5, "eu-west": 0.5 }, link: { cloud: 1 } }],
    network: { loss: 0, jitter: 0.1, partitions: [] },
    churn: null,
    computeJitter: 0.05,
    ...spec,
  });
  const lines: string[] = [];
  const ctx: TrainContext = {
    env,
    streams,
    world,
    trace: { emit: (type, fields) => lines.push(JSON.stringify({ t: env.now, type, ...fields })) },
    metrics: { record: (name, value) => lines.push(`${env.now},${name},${value}`) },
    backend: "repops",
    mlBackend: repopsBackend,
  };
  return { ctx, world, lines };
}

/** A tiny proxy task and a 10M-parameter virtual model: 40 MB on the wire per copy of the weights. */
export const SMALL_ARM = { task: { poolSize: 1024, heldOutSize: 128, inputs: 8 }, hidden: 16, batch: 8, steps: 40, virtual: { parameters: 10e6, tokensPerExample: 128 } };

/** Run one arm on the context; `outages` takes nodes down and up at given virtual times (us). */
export function runArm(t: { ctx: TrainContext; world: World; lines: string[] }, arm: Record<string, unknown>, outages: { node: number; down: number; up: number }[] = []) {
  const env = t.ctx.env;
  for (const o of outages) {
    env.process(
      (function* () {
        yield env.timeout(o.down);
        t.world.setAvailable(t.world.nodes[o.node].id, false, "test");
        yield env.timeout(o.up - o.down);
        t.world.setAvailable(t.world.nodes[o.node].id, true, "test");
      })(),
    );
  }
  const run = trainCompare(t.ctx, trainCompareSchema.parse({ kind: "train-compare", arms: [{ name: "a", ...arm }] }));
  env.run(run.done);
  const s = run.summary().a as Record<string, any>;
  const rounds = t.lines.filter((l) => l.includes('"train.round"')).map((l) => JSON.parse(l));
  return { s, rounds, summary: JSON.stringify(run.summary()), trace: t.lines.join("\n") };
}
