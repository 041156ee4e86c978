// A disputed market job goes to Verde (core/verde): the solver and the challenger each train the
// job's real program (a small MLP on the repops backend), honestly or as a core/agents adversary,
// and Verde's two-phase bisection and one-op referee decide (REFERENCE §3). Its verdict — winner,
// losers, the disputed step and graph node — is then enacted on chain: each loser's trace is
// made to go wrong exactly at that step and node, so the DisputeGame's bisection ends where
// Verde's did and the contract's ruling names Verde's winner (playDispute.ts).
import type { Environment, ProcessGenerator, Rng } from "../des/index.ts";
import { behaviours, type AdversaryKind } from "../agents/index.ts";
import { disputeGame } from "../verde/disputeGame.ts";
import type { DisputeOutcome } from "../verde/disputeOutcome.ts";
import { mlpJobProgram } from "../verde/mlpJob.ts";
import { stateHash } from "../verde/program.ts";
import { simpleTransport } from "../verde/simpleTransport.ts";
import { HONEST, Solver } from "../verde/solver.ts";
import type { Fault } from "./traceModel.ts";

/** The real program of market job `index`: what both parties and Verde's referee run. */
export function verdeJobProgram(runSeed: number, index: number, steps: number) {
  return mlpJobProgram({ steps, seed: runSeed * 1_000_003 + index, hidden: [8], batch: 8 });
}

/** Graph nodes per training step of the market's Verde job (the on-chain graph phase range). */
export function verdeGraphNodes(steps: number): number {
  return verdeJobProgram(0, 0, steps).graph(0).nodes.length;
}

export interface VerdeVerdict {
  outcome: DisputeOutcome;
  /** The on-chain fault of each party (null: its trace is honest). */
  defenderFault: Fault | null;
  challengerFault: Fault | null;
}

/**
 * Runs Verde between the solver (defender) and the challenger; a lying party trains as
 * `adversary`. Resolves to Verde's outcome and the faults that make the chain agree with it.
 */
export function* verdeVerdict(
  env: Environment,
  o: { runSeed: number; index: number; steps: number; defender: string; challenger: string; defenderLies: boolean; challengerLies: boolean; adversary: AdversaryKind; clockUs: number },
  rng: Rng,
): ProcessGenerator<VerdeVerdict> {
  const program = verdeJobProgram(o.runSeed, o.index, o.steps);
  const solver = (id: string, lies: boolean) =>
    new Solver({ id, program, behaviour: lies ? behaviours(o.adversary, program, rng)[0] : HONEST, interval: 1 });
  const parties: [Solver, Solver] = [solver(o.defender, o.defenderLies), solver(o.challenger, o.challengerLies)];
  const commitments: [unknown, unknown] = [parties[0].train(), parties[1].train()];
  const outcome: DisputeOutcome = yield env.process(
    disputeGame(
      {
        env,
        transport: simpleTransport(env),
        referee: "referee",
        program,
        initialHash: stateHash(program.stateTensors(program.initialState())),
        interval: 1,
        jobId: `market job ${o.index}`,
        clockUs: o.clockUs,
      },
      parties,
      commitments,
    ),
    `verde dispute of market job ${o.index}`,
  );
  // Verde's step s is the transition s -> s+1: state s+1 is the first wrong one; node index i
  // is graph phase position i+1 (position 0 is the step's agreed input state).
  const G = program.graph(0).nodes.length;
  const step = Math.min(o.steps, (outcome.step ?? o.steps - 1) + 1);
  const node = Math.min(G, (outcome.node?.index ?? G - 1) + 1);
  const faultOf = (id: string): Fault | null => (outcome.losers.includes(id) ? { step, node, tag: id } : null);
  return { outcome, defenderFault: faultOf(o.defender), challengerFault: faultOf(o.challenger) };
}
