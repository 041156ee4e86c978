// Disputes among more than two providers end with the honest result whenever one is honest.
import { describe, expect, test } from "bun:test";
import { ADVERSARY_KINDS, behaviours, type BehaviourKind } from "../agents/index.ts";
import { colluding } from "../agents/colluding.ts";
import { stalling } from "../agents/stalling.ts";
import { Rng } from "../des/rng.ts";
import { gameOutcomeOf } from "./disputeOutcome.ts";
import { HONEST } from "./solver.ts";
import { runJob } from "./testing.ts";
import { TinyMlpProgram } from "./tinyMlpProgram.ts";

describe("tournament", () => {
  test("three colluding copies with the same wrong result lose to one honest provider", () => {
    const program = new TinyMlpProgram({ steps: 60, seed: 2 });
    const copies = colluding({ program, step: 41, copies: 3 });
    const job = runJob(program, [
      ...copies.map((behaviour, i) => ({ id: `colluder${i}`, behaviour })),
      { id: "honest", behaviour: HONEST },
    ]);
    expect(job.accepted).toEqual(["honest"]);
    expect(job.slashed).toEqual(["colluder0", "colluder1", "colluder2"]);
    expect(job.disputes.length).toBe(3);
    for (const d of job.disputes) expect(d.winner).toBe("honest");
    // In the contract's terms: the colluder defended its result and lost to the honest challenger.
    expect(gameOutcomeOf(job.disputes[0], "colluder0")).toBe("ChallengerWon");
    expect(gameOutcomeOf(job.disputes[0], "honest")).toBe("DefenderWon");
  });

  test("a staller sharing the honest commitment loses alone; the honest result still stands", () => {
    const program = new TinyMlpProgram({ steps: 30, seed: 8 });
    const silentHonest = { ...stalling({ program, step: 0 }), tamper: undefined, kind: "honest-staller" };
    const wrong = behaviours("wrong-step", program, new Rng("w"))[0];
    const job = runJob(program, [
      { id: "staller", behaviour: silentHonest },
      { id: "wrong", behaviour: wrong },
      { id: "honest", behaviour: HONEST },
    ]);
    expect(job.accepted).toEqual(["honest"]);
    expect(job.slashed).toEqual(["staller", "wrong"]);
  });

  function mixed(seed: number) {
    const rng = new Rng(`tournament-${seed}`);
    const program = new TinyMlpProgram({ steps: 3 + rng.int(80), seed });
    const n = 2 + rng.int(4);
    const honestAt = rng.int(n);
    const providers = Array.from({ length: n }, (_, i) => {
      const kind: BehaviourKind = i === honestAt ? "honest" : ADVERSARY_KINDS[rng.int(ADVERSARY_KINDS.length)];
      return { id: `p${i}`, behaviour: behaviours(kind, program, rng)[0] };
    });
    return { job: runJob(program, providers), honestId: `p${honestAt}`, n };
  }

  test("fixed seed 5: a mix of adversaries and one honest provider ends with the honest result", () => {
    const { job, honestId } = mixed(5);
    expect(job.accepted).toContain(honestId);
    for (const d of job.disputes) expect(d.losers).not.toContain(honestId);
  });

  test("property over 30 seeds: 2-5 providers, one honest, the rest random adversaries", () => {
    for (let seed = 0; seed < 30; seed++) {
      const { job, honestId, n } = mixed(seed);
      expect(job.accepted, `seed ${seed}`).toEqual([honestId]);
      expect(job.slashed.length, `seed ${seed}`).toBe(n - 1);
      expect(job.disputes.length, `seed ${seed}`).toBeLessThanOrEqual(n - 1);
      for (const d of job.disputes) expect(d.losers, `seed ${seed}: ${d.detail}`).not.toContain(honestId);
    }
  });
});
