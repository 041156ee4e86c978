// Aggregates replicated-job outcomes into what the `verde-disputes` workload reports: detection
// of adversaries, false disputes among honest providers, and the cost of each dispute (rounds,
// bytes, referee FLOPs versus full re-execution, virtual duration) (DESIGN: Verification).
import type { JobOutcome } from "./replicatedJob.ts";

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
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
}

export function summarizeJobs(jobs: readonly { outcome: JobOutcome; reference: string }[]): ArmSummary {
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
      } else {
        adversarial++;
        if (slashed.has(p.id) || !o.accepted.includes(p.id)) caught++;
      }
    }
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
  };
}
