// The `market` workload's parameters (scenario `workload: {kind: market, ...}` without kind): how many jobs,
// who plays which role, how often solvers lie, and the timing of each step of a job (REFERENCE §1).
import { z } from "zod";

const positiveInt = z.number().int().positive();
const rate = z.number().min(0).max(1);
const seconds = z.number().nonnegative();

export const marketParamsSchema = z
  .object({
    /** Jobs posted in total; the workload is done when every one of them has settled. */
    jobs: positiveInt.default(200),
    /** Nodes acting as submitters, solvers and verifiers (taken in a seeded order from the world). */
    submitters: positiveInt.default(20),
    solvers: positiveInt.default(100),
    verifiers: positiveInt.default(60),
    /** Verifiers assigned to each job (JobMarket.MAX_VERIFIERS = 16). */
    verifiersPerJob: z.number().int().min(1).max(16).default(2),
    /** Mean time between job posts across all submitters (exponential), seconds. */
    meanInterarrivalS: seconds.default(5),
    /** Job fee in whole USD, uniform in [min, max]. */
    feeUsd: z.object({ min: z.number().positive(), max: z.number().positive() }).default({ min: 10, max: 100 }),
    /** Training steps per job (Verde phase 1 range) and graph nodes per step (phase 2 range;
     * with referee: verde it is the real program's graph size and this value is not used). */
    steps: positiveInt.default(32),
    graphNodes: positiveInt.default(24),
    /** Work of one training step, FLOPs; compute time comes from the node's hardware. */
    flopsPerStep: z.number().positive().default(2e12),
    /** Fraction of the steps a verifier re-runs (1 = full replication, REFERENCE §1). */
    verifySampleFraction: z.number().gt(0).max(1).default(1),
    /** Fraction of solver nodes that lie, and how often a lying solver lies on a job. */
    lyingSolverRate: rate.default(0.1),
    lieProbability: rate.default(1),
    /** Fraction of verifier nodes that challenge honest results with a made-up trace. */
    lyingVerifierRate: rate.default(0),
    /**
     * Who decides a dispute: "verde" runs core/verde on the job's real program (a small MLP on
     * repops; liars train as `adversary`) and the chain enacts its verdict; "synthetic" skips
     * the training: hash traces with the fault where the liar drew it, honest party wins.
     */
    referee: z.enum(["verde", "synthetic"]).default("verde"),
    adversary: z.enum(["wrong-op", "wrong-step"]).default("wrong-op"),
    /** Delay of one bisection move and of the referee's ruling, seconds. */
    moveDelayS: seconds.default(20),
    refereeDelayS: seconds.default(60),
    /** Time for the operator to assign a posted job, seconds. */
    assignDelayS: seconds.default(1),
    /**
     * The chain's block time, whole seconds: chain time is virtual time rounded down to it, so
     * changes within one block interval share a block (REFERENCE §9: the OP-stack L2 makes a
     * block every 2 s). Both ledgers use this clock.
     */
    blockTimeS: z.number().int().positive().default(1),
    /** Buyback keeper period, seconds (0 = never). */
    buybackEveryS: seconds.default(3600),
    /** GSN each solver and verifier stakes, whole tokens; USD minted to each submitter. */
    stakeGsn: z.number().positive().default(10_000),
    submitterUsd: z.number().positive().default(1_000_000),
  })
  .strict();

export type MarketParams = z.infer<typeof marketParamsSchema>;

/** Whole tokens from a scenario (2 decimals kept) to wei (18 decimals), exactly. */
export function toWei(tokens: number, where: string): bigint {
  if (!Number.isFinite(tokens) || tokens < 0) throw new RangeError(`${where}: expected an amount >= 0, got ${tokens}`);
  return BigInt(Math.round(tokens * 100)) * 10n ** 16n;
}
