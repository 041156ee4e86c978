// The protocol loop on real traces: detection emerges from comparing real result hashes, the
// on-chain game ends where Verde's off-chain referee does, with the parties' real hashes, and the
// ruling carries the referee's one-op recomputation (REFERENCE §1, §3, §4).
import { describe, expect, test } from "bun:test";
import { behaviours, ADVERSARY_KINDS, type BehaviourKind } from "../agents/index.ts";
import { RngStreams, SECOND } from "../des/index.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { hashTensor } from "../ml/hash.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import { HONEST, Solver, type Behaviour } from "../verde/solver.ts";
import { mlpJobProgram } from "../verde/mlpJob.ts";
import { lazySolver } from "../agents/lazySolver.ts";
import { ChainTrace, hex32 } from "./chainClaims.ts";
import { protocolBench, type BenchJob } from "./protocolTestKit.ts";

const STEPS = 12;
const program = (seed: number) => (backend = repopsBackend): VerifiableProgram<any> => mlpJobProgram({ steps: STEPS, seed, hidden: [8], batch: 8 }, backend);

function liarFor(kind: BehaviourKind, seed: number): Behaviour {
  return behaviours(kind, program(seed)(), new RngStreams(seed).stream("liar", kind))[0];
}

describe("a job whose solver is honest", () => {
  test("is paid: the verifier's re-execution matches, no game, protocol fee reaches the vault", () => {
    const run = protocolBench([{ program: program(1), solver: HONEST, verifiers: [HONEST] }]);
    const [j] = run.jobs;
    expect(j.checks[0].match).toBe(true);
    expect(j.checks[0].challenged).toBe(false);
    expect(j.settlement.end).toBe("paid");
    expect(run.ledger.balanceOf("BuybackVault", "USD")).toBe(j.settlement.payout!.protocolFee);
    expect(j.settlement.payout!.protocolFee).toBeGreaterThan(0n);
  });
});

describe("each adversary kind as solver, over 8 seeds", () => {
  // stalling/late lose by timeout; the others lose to the referee's one-op recomputation.
  for (const kind of ADVERSARY_KINDS) {
    test(`${kind}: caught by comparison, loses on chain, honest verifier never slashed`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const run = protocolBench([{ program: program(seed), solver: liarFor(kind, seed), verifiers: [HONEST] }]);
        const [j] = run.jobs;
        const c = j.checks[0];
        expect(c.match).toBe(false);
        expect(c.challenged).toBe(true);
        expect(c.dispute!.outcome).toBe("ChallengerWon");
        expect(j.settlement.end).toBe("rejected");
        expect(run.ledger.stakeOf(j.verifiers[0])).toBeGreaterThanOrEqual(run.stakeEach);
        expect(run.ledger.stakeOf(j.solver)).toBe(run.stakeEach - run.config.dispute.slashAmount);
        if (kind === "stalling" || kind === "late") {
          expect(c.dispute!.reason).toBe("timeout");
          expect(c.dispute!.refereeOps).toBe(0);
          continue;
        }
        // The referee recomputed exactly one op, and the game ended at Verde's step and node.
        expect(c.dispute!.reason).toBe("referee");
        expect(c.dispute!.refereeOps).toBe(1);
        expect(c.verde!.winner).toBe(j.verifiers[0]);
        // An inconsistent liar is already rejected off chain by a reveal that contradicts its own
        // commitment; on chain its claims are its real hashes, so the game goes to the referee.
        if (kind !== "inconsistent") {
          expect(c.verde!.reason).toBe("recomputed-op");
          expect(c.dispute!.step).toBe(c.verde!.step!);
          expect(c.dispute!.node).toBe(c.verde!.node!.index);
        }
        // The claims at hi are the parties' real hashes; the referee's equals the verifier's.
        expect(c.dispute!.refereeHash).toBe(c.dispute!.challengerClaimHi);
        expect(c.dispute!.challengerClaimHi).not.toBe(c.dispute!.defenderClaimHi);
      }
    });
  }
});

describe("a lying verifier challenging an honest solver", () => {
  test("loses to the referee over 8 seeds: the honest solver is paid, keeps its stake and gets the slash and the bond", () => {
    for (let seed = 1; seed <= 8; seed++) {
      const run = protocolBench([{ program: program(seed), solver: HONEST, verifiers: [liarFor("wrong-op", seed)] }]);
      const [j] = run.jobs;
      expect(j.checks[0].dispute!.outcome).toBe("DefenderWon");
      expect(j.settlement.end).toBe("paid");
      expect(run.ledger.stakeOf(j.solver)).toBe(run.stakeEach);
      expect(run.ledger.stakeOf(j.verifiers[0])).toBe(run.stakeEach - run.config.dispute.slashAmount);
      expect(run.ledger.balanceOf(j.solver, "GSN")).toBe(10n * run.config.dispute.bond + run.config.dispute.slashAmount + run.config.dispute.bond);
    }
  });
});

describe("detection comes from the hashes, not from a flag", () => {
  test("a liar whose corruption changes no bits is not caught", () => {
    // A lazy solver that 'skips' no step in range (from = STEPS) is a liar by label only.
    const noOp: Behaviour = { ...lazySolver({ program: program(3)(), from: STEPS }), kind: "lazy" };
    const run = protocolBench([{ program: program(3), solver: noOp, verifiers: [HONEST] }]);
    const [j] = run.jobs;
    expect(noOp.honest).toBe(false);
    expect(j.checks[0].match).toBe(true);
    expect(j.settlement.end).toBe("paid");
  });

  test("the on-chain step claims are the hashes of the parties' own states", () => {
    const run = protocolBench([{ program: program(5), solver: liarFor("wrong-step", 5), verifiers: [HONEST] }]);
    const c = run.jobs[0].checks[0];
    // The honest verifier's run, repeated: same program, same backend, same bits.
    const honest = new Solver({ id: "again", program: program(5)(), interval: 1 });
    honest.train();
    const trace = new ChainTrace(honest);
    // The honest party's claim at the final step is its committed result hash.
    expect(trace.stepClaim(STEPS)).toBe(hex32(honest.lastCommitment!.result));
    expect(c.dispute!.challengerClaimHi).toMatch(/^0x[0-9a-f]{64}$/);
    // A claim from the trace equals a hash recomputed directly from the party's tensors.
    const s = c.dispute!.step;
    const direct = honest.program.stateTensors(honest.stateAt(s)).map((t: Float32Array) => hashTensor(t));
    expect(direct.length).toBeGreaterThan(0);
    expect(trace.stepClaim(s)).toBe(hex32(honest.checkpointHashes.get(s)!));
  });
});

describe("timing", () => {
  test("a check takes the verifier's compute time and the game's moves take block time", () => {
    const run = protocolBench([{ program: program(2), solver: liarFor("wrong-op", 2), verifiers: [HONEST] }]);
    const d = run.jobs[0].checks[0].dispute!;
    expect(d.moves).toBeGreaterThan(2);
    expect(d.durationUs).toBeGreaterThanOrEqual(d.moves * run.moveDelayUs);
    expect(d.durationUs).toBeLessThan(2 * 3600 * SECOND);
  });
});

export type { BenchJob };
