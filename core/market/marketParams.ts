// The `market` workload's parameters (scenario `workload: {kind: market, ...}` without kind): how many jobs,
// who plays which role, how often solvers lie, and the timing of each step of a job (REFERENCE §1).
import { z } from "zod";
import { kernelsByHardwareSchema } from "../protocol/kernelsByHardware.ts";
import { ADVERSARY_KINDS } from "../agents/index.ts";

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
    /**
     * How jobs are computed and disputed. "real" (default): every job is a real small program
     * (marketJobProgram.ts); the solver trains it, each checking verifier re-executes it, a
     * mismatch of result hashes is a challenge, and the DisputeGame is played with each party's
     * real hashes and ruled by the referee's one-op recomputation (core/protocol). "synthetic":
     * hash traces with a fault where a liar drew it and an honest-hash referee (traceModel.ts),
     * no training: for 100k+ node studies only; every output is marked synthetic.
     */
    traces: z.enum(["real", "synthetic"]).default("real"),
    /** Training steps per job (phase 1 range); graphNodes is the synthetic traces' graph size
     * (with real traces the program's step graph gives it). */
    steps: positiveInt.default(32),
    graphNodes: positiveInt.default(24),
    /** Virtual work of one training step, FLOPs; compute time comes from the node's hardware. */
    flopsPerStep: z.number().positive().default(2e12),
    /**
     * Probability that an honest verifier re-executes a job it is assigned (1 = full replication,
     * REFERENCE §1). A lying verifier always "re-executes" (as its adversary) and challenges.
     */
    verifySampleFraction: z.number().gt(0).max(1).default(1),
    /** Fraction of solver nodes that lie, and how often a lying solver lies on a job. */
    lyingSolverRate: rate.default(0.1),
    lieProbability: rate.default(1),
    /** Fraction of verifier nodes that re-execute as an adversary and challenge honest results. */
    lyingVerifierRate: rate.default(0),
    /** The core/agents kind liars train as (solvers and verifiers). */
    adversary: z.enum(ADVERSARY_KINDS).default("wrong-op"),
    /**
     * The kernels each node computes on, by hardware type (core/protocol/kernelsByHardware.ts), e.g.
     * {rtx4090: tfjs-cpu, default: repops}; empty: every node on RepOps. Honest parties on different
     * kernels disagree and dispute; the referee recomputes on RepOps (REFERENCE §2).
     */
    backendByHardware: kernelsByHardwareSchema.default({}),
    /**
     * Also run Verde's off-chain referee (core/verde) on both parties of every dispute and count
     * agreement with the chain's ruling. "auto": on for runs of at most 2,000 jobs.
     */
    crossCheck: z.union([z.boolean(), z.literal("auto")]).default("auto"),
    /** Replaced by `traces`: "verde" is what real traces do; "synthetic" is refused with a pointer. */
    referee: z.enum(["verde", "synthetic"]).optional(),
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
  .strict()
  .superRefine((p, ctx) => {
    if (p.referee === "synthetic" && p.traces !== "synthetic") {
      ctx.addIssue({ code: "custom", path: ["referee"], message: 'referee: synthetic was replaced by traces: synthetic (the default, traces: real, has the real one-op referee); drop referee' });
    }
  });

export type MarketParams = z.infer<typeof marketParamsSchema>;

/** crossCheck resolved: "auto" is on for at most 2,000 jobs. */
export function crossCheckOn(p: MarketParams): boolean {
  return p.crossCheck === "auto" ? p.jobs <= 2_000 : p.crossCheck;
}

/** Whole tokens from a scenario (2 decimals kept) to wei (18 decimals), exactly. */
export function toWei(tokens: number, where: string): bigint {
  if (!Number.isFinite(tokens) || tokens < 0) throw new RangeError(`${where}: expected an amount >= 0, got ${tokens}`);
  return BigInt(Math.round(tokens * 100)) * 10n ** 16n;
}
