// A worker's inner steps on TRAINING's proxy task, replicated and disputed with Verde.
import { describe, expect, test } from "bun:test";
import { behaviours } from "../agents/index.ts";
import { RngStreams } from "../des/rng.ts";
import { Rng } from "../des/rng.ts";
import { makeShards, makeTask } from "../train/proxyTask.ts";
import { proxyTaskJobProgram } from "./proxyTaskJob.ts";
import { HONEST } from "./solver.ts";
import { runJob } from "./testing.ts";

describe("proxy-task jobs (TRAINING's corpus and non-iid shards)", () => {
  const streams = new RngStreams(5);
  const task = makeTask({ inputs: 8, classes: 4, teacherHidden: 16, sharpness: 2, poolSize: 512, heldOutSize: 64 }, streams, "verde-test");
  const shards = makeShards(task, 3, 0.3, 128, streams);
  const job = (worker: number) => proxyTaskJobProgram({ name: `worker${worker}`, task, shard: shards[worker], steps: 40, hidden: 16, batch: 8, lr: 1e-2, streams });

  test("training reduces the loss: the job is real learning", () => {
    const p = job(0);
    let state = p.initialState();
    const lossNode = p.graph(0).backwardFrom! - 1;
    const first = p.traceStep(state, 0).outputs[lossNode][0];
    for (let i = 0; i < 39; i++) state = p.step(state, i);
    const last = p.traceStep(state, 39).outputs[lossNode][0];
    expect(last).toBeLessThan(first);
  });

  test("every worker's job: a colluding pair and a lazy solver lose to one honest provider", () => {
    for (const worker of [0, 1, 2]) {
      const program = job(worker);
      const rng = new Rng(`proxy-${worker}`);
      const pair = behaviours("colluding", program, rng, 2);
      const outcome = runJob(program, [
        { id: "c1", behaviour: pair[0] },
        { id: "lazy", behaviour: behaviours("lazy", program, rng)[0] },
        { id: "honest", behaviour: HONEST },
        { id: "c2", behaviour: pair[1] },
      ]);
      expect(outcome.accepted, `worker ${worker}`).toEqual(["honest"]);
      expect(outcome.slashed, `worker ${worker}`).toEqual(["c1", "lazy", "c2"]);
    }
  });
});
