// Random prediction-market traffic for the differential test (contracts/ledgerParity.test.ts):
// markets judged by the traffic's jobs, trades, resolutions and redemptions drawn from the ledger's
// state so that markets open, trade, resolve and pay out (many calls still revert on purpose).
import type { Rng } from "../des/rng.ts";
import type { Ledger, LedgerCall } from "./ledger.ts";
import { nextTrafficStep, TRAFFIC_NODES, type TrafficStep } from "./randomTraffic.ts";

const W = 10n ** 18n;

/** The next step: with probability `share` a prediction-market call, else the protocol traffic's. */
export function nextPredictionTrafficStep(L: Ledger, rng: Rng, share = 0.5): TrafficStep {
  if (!rng.bernoulli(share)) return nextTrafficStep(L, rng);
  const pick = (): string => TRAFFIC_NODES[rng.int(TRAFFIC_NODES.length)];
  const amount = (maxWhole: number): bigint => BigInt(rng.int(maxWhole) + 1) * W + BigInt(rng.int(1_000_000));
  const n = L.predictionMarketCount();
  const anyMarket = (): number => rng.int(n + 1) + 1;
  const openMarket = (): number => {
    const ids: number[] = [];
    for (let m = 1; m <= n; m++) if (L.predictionMarket(m).status === "Open") ids.push(m);
    return ids.length > 0 && rng.bernoulli(0.85) ? ids[rng.int(ids.length)] : anyMarket();
  };
  const outcomeOf = (m: number): number => rng.int(Math.max(2, L.predictionMarket(m).outcomes) + (rng.bernoulli(0.05) ? 1 : 0));
  const calls: (() => LedgerCall)[] = [
    () => {
      // The judge spec of an existing job (so resolution can succeed), or a fresh one.
      const j = L.jobCount() > 0 && rng.bernoulli(0.8) ? L.job(rng.int(L.jobCount()) + 1).specHash : (`0x${"ab".repeat(32)}` as const);
      const outcomes = rng.bernoulli(0.05) ? 1 : 2 + rng.int(4);
      const resolveAt = L.now() + (rng.bernoulli(0.05) ? 0 : 60 + rng.int(3_000));
      return { method: "createMarket", args: [pick(), { judgeSpec: j, outcomes, resolveAt, liquidity: amount(800) }] };
    },
    () => {
      const m = openMarket();
      return { method: "buyShares", args: [pick(), m, outcomeOf(m), amount(400), 0n] };
    },
    () => {
      const m = openMarket();
      return { method: "buyShares", args: [pick(), m, outcomeOf(m), amount(100), amount(2_000)] };
    },
    () => {
      // Mostly a holder selling part of what it holds, sometimes anyone anything (reverts).
      const m = openMarket();
      const held: [string, number, bigint][] = [];
      for (const a of TRAFFIC_NODES) for (let o = 0; o < L.predictionMarket(m).outcomes; o++) {
        const s = L.sharesOf(a, m, o);
        if (s > 0n) held.push([a, o, s]);
      }
      if (held.length > 0 && rng.bernoulli(0.8)) {
        const [a, o, s] = held[rng.int(held.length)];
        return { method: "sellShares", args: [a, m, o, s / BigInt(2 + rng.int(6)) + 1n, rng.bernoulli(0.9) ? s : 1n] };
      }
      return { method: "sellShares", args: [pick(), m, outcomeOf(m), amount(150), 10n ** 30n] };
    },
    () => {
      // Mostly an open market past its resolution time, judged by a Paid job with its spec.
      const due: number[] = [];
      for (let id = 1; id <= n; id++) if (L.predictionMarket(id).status === "Open" && L.predictionMarket(id).resolveAt <= L.now()) due.push(id);
      const m = due.length > 0 && rng.bernoulli(0.85) ? due[rng.int(due.length)] : openMarket();
      const paid: number[] = [];
      const spec = L.predictionMarket(m).judgeSpec;
      for (let j = 1; j <= L.jobCount(); j++) if (L.job(j).status === "Paid" && L.job(j).specHash === spec) paid.push(j);
      const job = paid.length > 0 && rng.bernoulli(0.8) ? paid[rng.int(paid.length)] : rng.int(L.jobCount() + 1) + 1;
      const root = L.job(job).resultRoot ?? (`0x${"00".repeat(32)}` as const);
      return { method: "resolveMarket", args: [rng.bernoulli(0.9) ? "operator" : pick(), m, job, root, outcomeOf(m)] };
    },
    () => {
      const resolved: number[] = [];
      for (let id = 1; id <= n; id++) if (L.predictionMarket(id).status === "Resolved") resolved.push(id);
      const m = resolved.length > 0 && rng.bernoulli(0.85) ? resolved[rng.int(resolved.length)] : anyMarket();
      return { method: "redeem", args: [rng.bernoulli(0.3) && m <= n ? L.predictionMarket(m).creator : pick(), m] };
    },
  ];
  return calls[rng.int(calls.length)]();
}
