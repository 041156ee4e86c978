// Aggregates replicated-job outcomes into what the `verde-disputes` workload reports: detection
// of adversaries, false disputes among honest providers, and the cost of each dispute (rounds,
// bytes, referee FLOPs versus full re-execution, virtual duration) (DESIGN: Verification).
import type { JobOutcome } from "./replicatedJob.ts";

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Honest-only jobs of two providers on one pair of backends (key "a|b", names sorted). */
export interface PairStats {
  jobs: number;
  /** Jobs whose two honest providers posted different commitments (a false dispute). */
  disputed: number;
  disputeRate: number;
  /** Disputes the referee (recomputing on repops) ruled for each backend's party; "neither": both lost. */
  ruledFor: Record<string, number>;
  /** Providers of each backend slashed. */
  slashed: Record<string, number>;
  /** The op the referee recomputed (the first node whose inputs agree and output differs), by op. */
  ops: Record<string, number>;
}

/** Pairs aggregated by kind: both reproducible, one backend twice, or two backends not both reproducible. */
export interface PairGroup {
  pairs: number;
  jobs: number;
  disputed: number;
  /** Lowest and highest dispute rate over the group's pairs (0 when it has none). */
  minDisputeRate: number;
  maxDisputeRate: number;
}

export interface ArmSummary {
  jobs: number;
  disputedJobs: number;
  adversarialProviders: number;
  adversariesSlashed: number;
  /** Share of adversarial providers slashed (1 when there were none). */
  detectionRate: number;
  honestProviders: number;
  honestSlashed: number;
  /** Jobs whose accepted result is the reference (repops, honest) result. */
  correctJobs: number;
  correctRate: number;
  /** Jobs with honest providers only, and those of them that were disputed anyway. */
  honestOnlyJobs: number;
  falseDisputes: number;
  falseDisputeRate: number;
  disputes: number;
  reasons: Record<string, number>;
  byKind: Record<string, { providers: number; slashed: number }>;
  rounds: { mean: number; max: number };
  bytes: { mean: number; max: number };
  durationS: { p50: number; max: number };
  refereeOps: { max: number };
  /** Referee FLOPs over full re-execution FLOPs, worst dispute. */
  refereeFlopsRatio: { mean: number; max: number };
  /** Honest providers on a reproducible backend that were slashed (the protocol promises 0). */
  honestReproducibleSlashed: number;
  /** The false-dispute matrix: honest-only two-provider jobs by backend pair ("repops|tfjs-cpu"). */
  pairs: Record<string, PairStats>;
  reproduciblePairs: PairGroup;
  sameBackendPairs: PairGroup;
  mixedPairs: PairGroup;
}

/**
 * `reproducible`: names of the reproducible backends (repops), for honestReproducibleSlashed and
 * the pair groups.
 */
export function summarizeJobs(jobs: readonly { outcome: JobOutcome; reference: string }[], reproducible: readonly string[] = ["repops"]): ArmSummary {
  let honestReproducibleSlashed = 0;
  const pairs: Record<string, PairStats> = {};
  let adversarial = 0, caught = 0, honest = 0, honestSlashed = 0, correct = 0, honestOnly = 0, falseDisputes = 0, disputed = 0;
  const reasons: Record<string, number> = {};
  const byKind: Record<string, { providers: number; slashed: number }> = {};
  const rounds: number[] = [], bytes: number[] = [], dur: number[] = [], ratio: number[] = [];
  let maxOps = 0;
  for (const { outcome: o, reference } of jobs) {
    if (o.disputed) disputed++;
    if (o.result === reference) correct++;
    const slashed = new Set(o.slashed);
    const allHonest = o.providers.every((p) => p.honest);
    if (allHonest) {
      honestOnly++;
      if (o.disputed) falseDisputes++;
    }
    for (const p of o.providers) {
      const k = (byKind[p.kind] ??= { providers: 0, slashed: 0 });
      k.providers++;
      if (slashed.has(p.id)) k.slashed++;
      if (p.honest) {
        honest++;
        if (slashed.has(p.id)) honestSlashed++;
        if (slashed.has(p.id) && reproducible.includes(p.backend)) honestReproducibleSlashed++;
      } else {
        adversarial++;
        if (slashed.has(p.id) || !o.accepted.includes(p.id)) caught++;
      }
    }
    if (allHonest && o.providers.length === 2) countPair(pairs, o, slashed);
    for (const d of o.disputes) {
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
      rounds.push(d.rounds);
      bytes.push(d.bytes);
      dur.push(d.durationUs / 1e6);
      ratio.push(d.refereeFlops / d.fullFlops);
      maxOps = Math.max(maxOps, d.refereeOps);
    }
  }
  const mean = (xs: number[]) => (xs.length ? round6(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  dur.sort((a, b) => a - b);
  const sortedKeys = <T>(r: Record<string, T>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
  return {
    jobs: jobs.length,
    disputedJobs: disputed,
    adversarialProviders: adversarial,
    adversariesSlashed: caught,
    detectionRate: adversarial ? round6(caught / adversarial) : 1,
    honestProviders: honest,
    honestSlashed,
    correctJobs: correct,
    correctRate: jobs.length ? round6(correct / jobs.length) : 1,
    honestOnlyJobs: honestOnly,
    falseDisputes,
    falseDisputeRate: honestOnly ? round6(falseDisputes / honestOnly) : 0,
    disputes: rounds.length,
    reasons: sortedKeys(reasons),
    byKind: sortedKeys(byKind),
    rounds: { mean: mean(rounds), max: max(rounds) },
    bytes: { mean: mean(bytes), max: max(bytes) },
    durationS: { p50: round6(quantile(dur, 0.5)), max: round6(max(dur)) },
    refereeOps: { max: maxOps },
    refereeFlopsRatio: { mean: round6(mean(ratio)), max: max(ratio) },
    honestReproducibleSlashed,
    pairs: sortedKeys(pairs),
    reproduciblePairs: group(pairs, (a, b) => reproducible.includes(a) && reproducible.includes(b)),
    sameBackendPairs: group(pairs, (a, b) => a === b && !reproducible.includes(a)),
    mixedPairs: group(pairs, (a, b) => a !== b && !(reproducible.includes(a) && reproducible.includes(b))),
  };
}

/** Adds one honest-only job of two providers to its backend pair's row. */
function countPair(pairs: Record<string, PairStats>, o: JobOutcome, slashed: ReadonlySet<string>): void {
  const names = o.providers.map((p) => p.backend).sort();
  const row = (pairs[names.join("|")] ??= { jobs: 0, disputed: 0, disputeRate: 0, ruledFor: {}, slashed: {}, ops: {} });
  row.jobs++;
  if (o.disputed) row.disputed++;
  row.disputeRate = round6(row.disputed / row.jobs);
  for (const d of o.disputes) {
    const who = d.winner === null ? "neither" : (o.providers.find((p) => p.id === d.winner)?.backend ?? "neither");
    row.ruledFor[who] = (row.ruledFor[who] ?? 0) + 1;
    const op = d.node?.op ?? d.reason;
    row.ops[op] = (row.ops[op] ?? 0) + 1;
  }
  for (const p of o.providers) if (slashed.has(p.id)) row.slashed[p.backend] = (row.slashed[p.backend] ?? 0) + 1;
  row.ruledFor = Object.fromEntries(Object.keys(row.ruledFor).sort().map((k) => [k, row.ruledFor[k]]));
  row.slashed = Object.fromEntries(Object.keys(row.slashed).sort().map((k) => [k, row.slashed[k]]));
  row.ops = Object.fromEntries(Object.keys(row.ops).sort().map((k) => [k, row.ops[k]]));
}

function group(pairs: Record<string, PairStats>, member: (a: string, b: string) => boolean): PairGroup {
  const rows = Object.keys(pairs)
    .filter((k) => member(...(k.split("|") as [string, string])))
    .map((k) => pairs[k]);
  const rates = rows.map((r) => r.disputeRate);
  return {
    pairs: rows.length,
    jobs: rows.reduce((a, r) => a + r.jobs, 0),
    disputed: rows.reduce((a, r) => a + r.disputed, 0),
    minDisputeRate: rates.length ? Math.min(...rates) : 0,
    maxDisputeRate: rates.length ? Math.max(...rates) : 0,
  };
}
