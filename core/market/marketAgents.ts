// The market's agents (REFERENCE §1): submitters post jobs, solvers train and commit (honest or
// as an adversary), verifiers re-execute (all, or a sampled share of the jobs) and challenge.
import type { Rng } from "../des/index.ts";
import type { World } from "../world/world.ts";
import type { Account } from "../ledger/ledger.ts";
import type { MarketParams } from "./marketParams.ts";

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

/** Microseconds a node needs to train (or re-run) `steps` steps of the job. */
export function trainTimeUs(world: World, nodeId: number, steps: number, params: MarketParams): number {
  return world.computeTimeUs(nodeId, Math.max(1, Math.round(steps * params.flopsPerStep)));
}
