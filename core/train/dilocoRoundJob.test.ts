import { describe, expect, test } from "bun:test";
import { behaviours } from "../agents/index.ts";
import { Rng, RngStreams } from "../des/rng.ts";
import { HONEST } from "../verde/solver.ts";
import { runJob } from "../verde/testing.ts";
import { dilocoRoundJob, graphParams } from "./dilocoRoundJob.ts";
import { makeShards, makeTask } from "./proxyTask.ts";
import { ReplicaMlp } from "./replicaMlp.ts";

describe("a DiLoCo worker's round as a Verde job", () => {
  const streams = new RngStreams(2);
  const task = makeTask({ inputs: 6, classes: 4, teacherHidden: 8, sharpness: 4, poolSize: 256, heldOutSize: 32 }, streams, "job");
  const shard = makeShards(task, 2, 0.5, 64, streams)[1];
  const mlp = new ReplicaMlp({ inputs: 6, hidden: 8, classes: 4 });
  const start = new Float32Array(mlp.paramCount);
  mlp.init(start, 0, streams.stream("global"));
  const job = dilocoRoundJob({ name: "diloco/round0/worker1", task, shard, start, hidden: 8, H: 6, batch: 4, lr: 1e-2, streams });

  test("starts from the round's global weights, tensor by tensor", () => {
    const tensors = job.stateTensors(job.initialState());
    const params = graphParams(start, mlp.shape);
    expect(Array.from(tensors[0])).toEqual(Array.from(params.get("mlp.0.w")!));
    expect(Array.from(tensors[3])).toEqual(Array.from(params.get("mlp.1.b")!));
    expect(job.steps).toBe(6);
  });

  test("a lazy provider loses the dispute to an honest one", () => {
    const outcome = runJob(job, [
      { id: "honest", behaviour: HONEST },
      { id: "lazy", behaviour: behaviours("lazy", job, new Rng("lazy"))[0] },
    ]);
    expect(outcome.accepted).toEqual(["honest"]);
    expect(outcome.slashed).toEqual(["lazy"]);
  });
});
