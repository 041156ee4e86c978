// Verde on the tiny float32 program: every adversary kind against an honest provider, many seeds.
import { describe, expect, test } from "bun:test";
import { ADVERSARY_KINDS, behaviours, type AdversaryKind } from "../agents/index.ts";
import { wrongOp } from "../agents/wrongOp.ts";
import { Rng } from "../des/rng.ts";
import type { RulingReason } from "./referee.ts";
import { HONEST } from "./solver.ts";
import { roundBound, runJob } from "./testing.ts";
import { TinyMlpProgram } from "./tinyMlpProgram.ts";

const expectedReason: Record<AdversaryKind, RulingReason> = {
  "wrong-step": "recomputed-op",
  "wrong-op": "recomputed-op",
  lazy: "recomputed-op",
  inconsistent: "inconsistent",
  stalling: "timeout",
  late: "timeout",
  colluding: "recomputed-op",
  poison: "recomputed-op",
};

function dispute(kind: AdversaryKind, seed: number) {
  const rng = new Rng(`verde-referee-${kind}-${seed}`);
  const steps = 2 + rng.int(199);
  const interval = [1, 1, 3, 8][rng.int(4)];
  const program = new TinyMlpProgram({ steps, seed });
  const [bad] = behaviours(kind, program, rng);
  const honestFirst = rng.bernoulli(0.5);
  const providers = [
    { id: "honest", behaviour: HONEST },
    { id: "adversary", behaviour: bad },
  ];
  if (!honestFirst) providers.reverse();
  const job = runJob(program, providers, { interval });
  return { job, steps, interval, nodes: program.graph(0).nodes.length };
}

function expectHonestWins(kind: AdversaryKind, seed: number): void {
  const { job, steps, interval, nodes } = dispute(kind, seed);
  const where = `${kind} seed ${seed} (T=${steps}, k=${interval})`;
  expect(job.disputes.length, where).toBe(1);
  const d = job.disputes[0];
  expect(d.winner, `${where}: ${d.detail}`).toBe("honest");
  expect(d.losers, where).toEqual(["adversary"]);
  expect(d.reason, `${where}: ${d.detail}`).toBe(expectedReason[kind]);
  expect(job.accepted, where).toEqual(["honest"]);
  expect(job.slashed, where).toEqual(["adversary"]);
  expect(d.rounds, where).toBeLessThanOrEqual(roundBound(steps, nodes, interval));
  expect(d.refereeOps, where).toBe(d.reason === "recomputed-op" ? 1 : 0);
  expect(d.refereeFlops, where).toBeLessThan(d.fullFlops);
}

describe("Verde against every adversary kind (tiny float32 program)", () => {
  for (const kind of ADVERSARY_KINDS) {
    test(`${kind}: fixed seed 7: the honest provider wins, within the round bound, the referee runs at most one op`, () => {
      expectHonestWins(kind, 7);
    });
    test(`${kind}: property over 25 seeds (random T in 2..200, k in {1,3,8}, either order)`, () => {
      for (let seed = 100; seed < 125; seed++) expectHonestWins(kind, seed);
    });
  }

  test("a wrong op deep in the backward pass is pinned on that very node", () => {
    const program = new TinyMlpProgram({ steps: 64, seed: 3 });
    const [bad] = behaviours("wrong-op", program, new Rng("pin"));
    const job = runJob(program, [{ id: "honest", behaviour: HONEST }, { id: "adversary", behaviour: bad }]);
    const d = job.disputes[0];
    expect(d.node!.id.startsWith("bwd/")).toBe(true);
    expect(d.rounds).toBe(7 + 1 + 5 + 1); // ceil(log2 65) + trace + ceil(log2 21) + inputs
  });

  test("two honest providers post the same commitment: no dispute, both accepted", () => {
    const program = new TinyMlpProgram({ steps: 50, seed: 4 });
    const job = runJob(program, [{ id: "a", behaviour: HONEST }, { id: "b", behaviour: HONEST }]);
    expect(job.disputed).toBe(false);
    expect(job.accepted).toEqual(["a", "b"]);
  });

  test("an honest provider on a non-reproducible backend loses to the reproducible one (the referee recomputes on the reference)", () => {
    const reference = new TinyMlpProgram({ steps: 40, seed: 5 });
    const sloppy = new TinyMlpProgram({ steps: 40, seed: 5, accumulate: "float64" });
    const job = runJob(reference, [
      { id: "repro", behaviour: HONEST },
      { id: "sloppy", behaviour: { kind: "honest-float64", honest: true }, program: sloppy },
    ]);
    expect(job.disputed).toBe(true);
    expect(job.disputes[0].winner).toBe("repro");
    expect(job.disputes[0].reason).toBe("recomputed-op");
    expect(job.disputes[0].step).toBe(0);
  });

  test("a provider that starts from another initial state loses at leaf 0 (initial-state)", () => {
    const reference = new TinyMlpProgram({ steps: 30, seed: 1 });
    const job = runJob(reference, [
      { id: "honest", behaviour: HONEST },
      { id: "other-start", behaviour: { kind: "other-start", honest: false }, program: new TinyMlpProgram({ steps: 30, seed: 99 }) },
    ]);
    const d = job.disputes[0];
    expect(d.reason).toBe("initial-state");
    expect(d.losers).toEqual(["other-start"]);
    expect(d.refereeOps).toBe(0);
  });

  test("two adversaries wrong at the same node in different ways: the recomputed op matches neither, both lose", () => {
    const program = new TinyMlpProgram({ steps: 30, seed: 2 });
    const job = runJob(program, [
      { id: "bad1", behaviour: wrongOp({ program, step: 12, node: 15, delta: 0.5 }) },
      { id: "bad2", behaviour: wrongOp({ program, step: 12, node: 15, delta: -0.5 }) },
    ]);
    const d = job.disputes[0];
    expect(d.reason).toBe("recomputed-op");
    expect(d.node!.index).toBe(15);
    expect(d.winner).toBeNull();
    expect(d.losers).toEqual(["bad1", "bad2"]);
    expect(job.accepted).toEqual([]);
    expect(job.result).toBeNull();
  });
});
