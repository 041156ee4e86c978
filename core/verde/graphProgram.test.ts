// Verde on real ML-ENGINE step graphs (MLP + AdamW, forward + backward + update as one graph).
import { describe, expect, test } from "bun:test";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { ADVERSARY_KINDS, behaviours, type AdversaryKind } from "../agents/index.ts";
import { wrongOp } from "../agents/wrongOp.ts";
import { Rng } from "../des/rng.ts";
import { hashTensor } from "../ml/hash.ts";
import { mlpJobProgram } from "./mlpJob.ts";
import { HONEST } from "./solver.ts";
import { roundBound, runJob } from "./testing.ts";

describe("GraphProgram", () => {
  const program = mlpJobProgram({ steps: 5, seed: 1 });

  test("traceStep records every node and ends in the same bits as step()", () => {
    let state = program.initialState();
    for (let i = 0; i < 5; i++) {
      const trace = program.traceStep(state, i);
      const fast = program.step(state, i);
      expect(trace.outputs.length).toBe(program.graph(i).nodes.length);
      fast.forEach((t, k) => expect(hashTensor(trace.next[k])).toEqual(hashTensor(t)));
      state = fast;
    }
  });

  test("recomputeNode reproduces every node of a traced step bit for bit (referee on repops)", () => {
    const state = program.initialState();
    const trace = program.traceStep(state, 2);
    const g = program.graph(2);
    let checked = 0;
    for (const node of g.nodes) {
      if (node.op === "state") continue;
      const out = program.recomputeNode(2, node.index, node.inputs.map((j) => trace.outputs[j]));
      expect(hashTensor(out), `node ${node.index} ${node.id}`).toEqual(hashTensor(trace.outputs[node.index]));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe("Verde on a real training graph", () => {
  test("a dispute over a 1,000-step run: referee compute is under 0.1% of the run's FLOPs", () => {
    const program = mlpJobProgram({ steps: 1000, seed: 3 });
    const job = runJob(program, [
      { id: "honest", behaviour: HONEST },
      { id: "adversary", behaviour: wrongOp({ program, step: 613, pick: 0.6 }) },
    ]);
    const d = job.disputes[0];
    const ratio = d.refereeFlops / d.fullFlops;
    console.log(`1000-step dispute: rounds=${d.rounds} refereeFlops=${d.refereeFlops} fullFlops=${d.fullFlops} ratio=${ratio.toExponential(3)} bytes=${d.bytes} node=${d.node?.id}`);
    expect(d.winner).toBe("honest");
    expect(d.step).toBe(613);
    expect(d.refereeOps).toBe(1);
    expect(ratio).toBeLessThan(0.001);
    expect(d.rounds).toBeLessThanOrEqual(roundBound(1000, program.graph(0).nodes.length, 1));
  });

  function realDispute(kind: AdversaryKind, seed: number) {
    const rng = new Rng(`verde-graph-${kind}-${seed}`);
    const steps = 2 + rng.int(40);
    const interval = [1, 4][rng.int(2)];
    const program = mlpJobProgram({ steps, seed });
    const job = runJob(program, [{ id: "honest", behaviour: HONEST }, { id: "adversary", behaviour: behaviours(kind, program, rng)[0] }], { interval });
    const d = job.disputes[0];
    const where = `${kind} seed ${seed} T=${steps} k=${interval}: ${d.detail}`;
    expect(d.winner, where).toBe("honest");
    expect(job.accepted, where).toEqual(["honest"]);
    expect(d.rounds, where).toBeLessThanOrEqual(roundBound(steps, program.graph(0).nodes.length, interval));
    expect(d.refereeOps, where).toBe(d.reason === "recomputed-op" ? 1 : 0);
  }

  for (const kind of ADVERSARY_KINDS) {
    test(`${kind}: fixed seed 1: the honest provider wins within the round bound`, () => realDispute(kind, 1));
    test(`${kind}: property over seeds 2..6 (random T in 2..41, k in {1,4})`, () => {
      for (let seed = 2; seed <= 6; seed++) realDispute(kind, seed);
    });
  }
});

describe("honest providers on a non-reproducible backend (tfjs-cpu vs repops, REFERENCE §2)", () => {
  test("they disagree, a false dispute follows, and the referee (recomputing on repops) rules for the repops provider", async () => {
    const { getBackend } = await import("../ml/backend.ts");
    const { nonReproducible } = await import("../agents/nonReproducible.ts");
    const tfjs = await getBackend("tfjs-cpu");
    const config = { steps: 20, seed: 4 };
    const reference = mlpJobProgram(config);
    const job = runJob(reference, [
      { id: "repops", behaviour: HONEST },
      { id: "tfjs", behaviour: nonReproducible("tfjs-cpu"), program: mlpJobProgram(config, tfjs) },
    ]);
    expect(job.providers.map((p) => p.backend)).toEqual(["repops", "tfjs-cpu"]);
    expect(job.disputed).toBe(true);
    const d = job.disputes[0];
    expect(d.winner).toBe("repops");
    expect(d.reason).toBe("recomputed-op");
    expect(d.refereeOps).toBe(1);
    // Two tfjs-cpu providers agree with each other (same engine): no dispute, yet not the repops result.
    const twins = runJob(reference, [
      { id: "t1", behaviour: nonReproducible("tfjs-cpu"), program: mlpJobProgram(config, tfjs) },
      { id: "t2", behaviour: nonReproducible("tfjs-cpu"), program: mlpJobProgram(config, tfjs) },
    ]);
    expect(twins.disputed).toBe(false);
    expect(twins.result).not.toBe(job.result);
  });
});

describe("two honest providers on two different non-reproducible backends (tfjs-cpu vs tfjs-wasm)", () => {
  test("they dispute each other; the referee rules on repops, which may match neither", async () => {
    const { getBackend } = await import("../ml/backend.ts");
    const { nonReproducible } = await import("../agents/nonReproducible.ts");
    // The test plays the application's part: it locates tfjs-wasm's binaries (core/ does no I/O).
    const wasmDir = `${dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"))}/dist/`;
    const [cpu, wasm] = [await getBackend("tfjs-cpu"), await getBackend("tfjs-wasm", { wasmDir })];
    const config = { steps: 20, seed: 6 };
    const job = runJob(mlpJobProgram(config), [
      { id: "cpu", behaviour: nonReproducible("tfjs-cpu"), program: mlpJobProgram(config, cpu) },
      { id: "wasm", behaviour: nonReproducible("tfjs-wasm"), program: mlpJobProgram(config, wasm) },
    ]);
    const d = job.disputes[0];
    console.log(`tfjs-cpu vs tfjs-wasm: step ${d.step}, node ${d.node?.id}, losers ${d.losers.join(",")}: ${d.detail}`);
    expect(job.disputed).toBe(true);
    expect(d.reason).toBe("recomputed-op");
    expect(d.refereeOps).toBe(1);
    expect(d.losers.length).toBeGreaterThanOrEqual(1);
  });
});
