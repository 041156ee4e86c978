// The market's agents (REFERENCE §1): submitters post jobs, solvers train and commit (honest or
// lying), verifiers re-run all or a sample of the steps and decide whether to challenge.
import type { Rng } from "../des/index.ts";
import type { World } from "../world/world.ts";
import type { Account, Bytes32 } from "../ledger/ledger.ts";
import type { MarketParams } from "./marketParams.ts";
import type { Fault, TraceModel } from "./traceModel.ts";

export interface MarketAgent {
  account: Account;
  nodeId: number;
  /** A lying solver commits wrong results; a lying verifier challenges honest ones. */
  lying: boolean;
}

/** Ledger account name of a world node (the port's convention, e.g. "n17"). */
export function nodeAccount(nodeId: number): Account {
  return `n${nodeId}`;
}

export interface MarketRoles {
  submitters: MarketAgent[];
  solvers: MarketAgent[];
  verifiers: MarketAgent[];
}

/** Takes nodes in a seeded order: first submitters, then solvers, then verifiers; marks liars. */
export function assignRoles(world: World, params: MarketParams, rng: Rng): MarketRoles {
  const needed = params.submitters + params.solvers + params.verifiers;
  const ids = world.nodes.map((n) => n.id);
  if (ids.length < needed) {
    throw new RangeError(`market needs ${needed} nodes (submitters + solvers + verifiers), the world has ${ids.length}`);
  }
  const order = rng.shuffle(ids).slice(0, needed);
  const make = (nodeId: number, lyingRate: number): MarketAgent => ({
    account: nodeAccount(nodeId),
    nodeId,
    lying: lyingRate > 0 && rng.bernoulli(lyingRate),
  });
  const submitters = order.slice(0, params.submitters).map((id) => make(id, 0));
  const solvers = order.slice(params.submitters, params.submitters + params.solvers).map((id) => make(id, params.lyingSolverRate));
  const verifiers = order.slice(params.submitters + params.solvers).map((id) => make(id, params.lyingVerifierRate));
  return { submitters, solvers, verifiers };
}

/** Where a solver's training of this job goes wrong, or null when it trains honestly. */
export function solverFault(solver: MarketAgent, model: TraceModel, params: MarketParams, rng: Rng): Fault | null {
  if (!solver.lying || !rng.bernoulli(params.lieProbability)) return null;
  return { step: 1 + rng.int(model.steps), node: 1 + rng.int(model.graphNodes), tag: solver.account };
}

/** A lying verifier's made-up trace for a job it wants to dispute. */
export function verifierFault(verifier: MarketAgent, model: TraceModel, rng: Rng): Fault | null {
  if (!verifier.lying) return null;
  return { step: 1 + rng.int(model.steps), node: 1 + rng.int(model.graphNodes), tag: verifier.account };
}

/**
 * The root a verifier holds after checking: an honest verifier re-runs each step with
 * probability `verifySampleFraction` from the agreed checkpoints and sees a fault when it re-runs
 * any step at or after the fault's first wrong step; then it holds the true root.
 */
export function verifierView(
  ownFault: Fault | null,
  solverFaultOf: Fault | null,
  model: TraceModel,
  params: MarketParams,
  rng: Rng,
): { root: Bytes32; detected: boolean } {
  if (ownFault !== null) return { root: model.resultRoot(ownFault), detected: true };
  if (solverFaultOf === null) return { root: model.resultRoot(null), detected: false };
  let detected = params.verifySampleFraction >= 1;
  for (let s = solverFaultOf.step; !detected && s <= model.steps; s++) detected = rng.bernoulli(params.verifySampleFraction);
  return { root: model.resultRoot(detected ? null : solverFaultOf), detected };
}

/** Microseconds a node needs to train (or re-run) `steps` steps of the job. */
export function trainTimeUs(world: World, nodeId: number, steps: number, params: MarketParams): number {
  return world.computeTimeUs(nodeId, Math.max(1, Math.round(steps * params.flopsPerStep)));
}
