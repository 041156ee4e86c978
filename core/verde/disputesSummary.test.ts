// The false-dispute matrix of summarizeJobs on hand-made outcomes: rows by sorted backend pair,
// rulings by backend ("neither" when both lose), groups of reproducible / twin / mixed pairs.
import { describe, expect, test } from "bun:test";
import type { DisputeOutcome } from "./disputeOutcome.ts";
import { summarizeJobs } from "./disputesSummary.ts";
import type { JobOutcome } from "./replicatedJob.ts";

const dispute = (a: string, b: string, winner: string | null, op: string): DisputeOutcome =>
  ({ jobId: "j", parties: [a, b], winner, losers: [a, b].filter((x) => x !== winner), reason: "recomputed-op", detail: "", step: 0, node: { index: 4, id: `${op}#4`, op }, rounds: 10, bytes: 100, refereeOps: 1, refereeFlops: 1, fullFlops: 100, durationUs: 5, startUs: 0, clockUsedUs: [1, 1] }) as DisputeOutcome;

/** An honest-only job of providers (id, backend); `winner` null: no dispute, "" : both lost. */
function job(id: string, providers: [string, string][], winner: string | null, op = "matmul"): { outcome: JobOutcome; reference: string } {
  const ps = providers.map(([pid, backend]) => ({ id: pid, kind: backend === "repops" ? "honest" : `honest-${backend}`, honest: true, backend }));
  const disputes = winner === null ? [] : [dispute(ps[0].id, ps[1].id, winner === "" ? null : winner, op)];
  const slashed = winner === null ? [] : ps.map((p) => p.id).filter((p) => p !== winner);
  const accepted = ps.map((p) => p.id).filter((p) => !slashed.includes(p));
  return { outcome: { jobId: id, accepted, slashed, result: accepted.length ? "r" : null, disputes, providers: ps, disputed: disputes.length > 0, durationUs: 1 }, reference: "r" };
}

describe("summarizeJobs: the backend-pair matrix", () => {
  const s = summarizeJobs([
    job("a", [["n1", "repops"], ["n2", "repops"]], null),
    job("b", [["n3", "tfjs-cpu"], ["n4", "repops"]], "n4"),
    job("c", [["n5", "repops"], ["n6", "tfjs-cpu"]], null),
    job("d", [["n7", "repops-fma"], ["n8", "repops-tree"]], ""),
    job("e", [["n9", "tfjs-cpu"], ["n10", "tfjs-cpu"]], null),
    job("f", [["n11", "repops-fma"], ["n12", "tfjs-wasm"]], "n12", "softmaxXentGrad"),
    job("g", [["n13", "repops"], ["n14", "repops"], ["n15", "tfjs-cpu"]], "n13"), // three providers: not a pair
  ]);

  test("rows are keyed by the sorted pair and count jobs, disputes, rulings, slashes and the recomputed op", () => {
    expect(Object.keys(s.pairs)).toEqual(["repops-fma|repops-tree", "repops-fma|tfjs-wasm", "repops|repops", "repops|tfjs-cpu", "tfjs-cpu|tfjs-cpu"]);
    expect(s.pairs["repops|tfjs-cpu"]).toEqual({ jobs: 2, disputed: 1, disputeRate: 0.5, ruledFor: { repops: 1 }, slashed: { "tfjs-cpu": 1 }, ops: { matmul: 1 } });
    expect(s.pairs["repops-fma|repops-tree"]).toEqual({ jobs: 1, disputed: 1, disputeRate: 1, ruledFor: { neither: 1 }, slashed: { "repops-fma": 1, "repops-tree": 1 }, ops: { matmul: 1 } });
    expect(s.pairs["repops-fma|tfjs-wasm"].ruledFor).toEqual({ "tfjs-wasm": 1 });
    expect(s.pairs["repops-fma|tfjs-wasm"].ops).toEqual({ softmaxXentGrad: 1 });
    expect(s.pairs["repops|repops"]).toMatchObject({ jobs: 1, disputed: 0, disputeRate: 0 });
  });

  test("groups: reproducible pairs, twins on one non-reproducible backend, and mixed pairs", () => {
    expect(s.reproduciblePairs).toEqual({ pairs: 1, jobs: 1, disputed: 0, minDisputeRate: 0, maxDisputeRate: 0 });
    expect(s.sameBackendPairs).toEqual({ pairs: 1, jobs: 1, disputed: 0, minDisputeRate: 0, maxDisputeRate: 0 });
    expect(s.mixedPairs).toEqual({ pairs: 3, jobs: 4, disputed: 3, minDisputeRate: 0.5, maxDisputeRate: 1 });
  });

  test("honestReproducibleSlashed counts slashed honest repops providers in any job (job g's second repops provider lost)", () => {
    expect(s.honestReproducibleSlashed).toBe(1);
    expect(s.honestOnlyJobs).toBe(7);
    expect(s.falseDisputes).toBe(4);
  });
});
