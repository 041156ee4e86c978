// Random protocol traffic for property and differential tests: the next call to try, drawn from
// the ledger's current state so that the job/dispute flow advances (many calls still revert).
import type { Rng } from "../des/rng.ts";
import type { Asset, Bytes32, Ledger, LedgerCall } from "./ledger.ts";

const W = 10n ** 18n;
export const TRAFFIC_NODES = ["n0", "n1", "n2", "n3", "n4", "n5"];

/** The opening calls: GSN and USD for every traffic node, and two swarm peers each. */
export function trafficSetup(): LedgerCall[] {
  const calls: LedgerCall[] = [];
  for (const n of TRAFFIC_NODES) {
    calls.push({ method: "transfer", args: ["deployer", n, "GSN", 10_000n * W] });
    calls.push({ method: "mintUsd", args: ["deployer", n, 5_000n * W] });
    calls.push({ method: "registerPeer", args: [n, `${n}-a`] }, { method: "registerPeer", args: [n, `${n}-b`] });
  }
  // A whale who can pump the pool (exercises the buyback's TWAP guard).
  calls.push({ method: "mintUsd", args: ["deployer", "whale", 2_000_000n * W] });
  return calls;
}

export type TrafficStep = LedgerCall | { advance: number };

/** One step: a call to try, or a number of seconds to move chain time forward. */
export function nextTrafficStep(L: Ledger, rng: Rng): TrafficStep {
  const pick = (): string => TRAFFIC_NODES[rng.int(TRAFFIC_NODES.length)];
  const amount = (maxWhole: number): bigint => BigInt(rng.int(maxWhole) + 1) * W + BigInt(rng.int(1_000_000));
  const hash = (): Bytes32 => `0x${(rng.int(4) + 1).toString(16).padStart(64, "0")}`;
  const anyJob = (): number => rng.int(L.jobCount() + 1) + 1;
  /** Mostly a job in `status` (so the flow advances), sometimes any id (so it reverts). */
  const jobIn = (status: string): number => {
    const ids: number[] = [];
    for (let j = 1; j <= L.jobCount(); j++) if (L.job(j).status === status) ids.push(j);
    return ids.length > 0 && rng.bernoulli(0.85) ? ids[rng.int(ids.length)] : anyJob();
  };
  const peer = (): string => `${pick()}-${rng.bernoulli(0.5) ? "a" : "b"}`;
  const choices: (() => TrafficStep)[] = [
    () => ({ method: "stake", args: [pick(), amount(3_000)] }),
    () => ({ method: "requestUnstake", args: [pick(), amount(2_000)] }),
    () => ({ method: "withdraw", args: [pick()] }),
    () => ({ method: "burn", args: [pick(), amount(50)] }),
    () => ({ method: "transfer", args: [pick(), pick(), (rng.bernoulli(0.5) ? "GSN" : "USD") as Asset, amount(500)] }),
    () => ({ method: "postJob", args: [pick(), { fee: amount(400), specHash: hash(), steps: rng.int(40) + 1, graphNodes: rng.int(30) + 1 }] }),
    () => ({ method: "cancelJob", args: [pick(), anyJob()] }),
    () => {
      const solver = pick();
      return { method: "assign", args: ["operator", jobIn("Posted"), solver, TRAFFIC_NODES.filter((n) => n !== solver && rng.bernoulli(0.4))] };
    },
    () => {
      const j = L.job(jobIn("Assigned"));
      return { method: "commit", args: [rng.bernoulli(0.9) ? (j.solver ?? pick()) : pick(), j.id, hash()] };
    },
    () => {
      // Any number of challenges per job: Committed, Disputed (others open) or Upheld (REFERENCE §1, §3).
      const j = L.job(jobIn(["Committed", "Disputed", "Upheld"][rng.int(3)]));
      const v = j.verifiers.length > 0 && rng.bernoulli(0.9) ? j.verifiers[rng.int(j.verifiers.length)] : pick();
      return { method: "challenge", args: [v, j.id, hash()] };
    },
    () => ({ method: "finalize", args: [pick(), jobIn(rng.bernoulli(0.5) ? "Committed" : "Upheld")] }),
    () => {
      const g = L.game(rng.int(L.gameCount() + 1) + 1);
      const mover = g.turn === "defender" ? g.defender : g.challenger;
      return { method: "claim", args: [rng.bernoulli(0.9) && mover ? mover : pick(), g.id, hash()] };
    },
    () => ({ method: "timeout", args: [pick(), rng.int(L.gameCount() + 1) + 1] }),
    () => ({ method: "rule", args: [rng.bernoulli(0.9) ? "referee" : pick(), rng.int(L.gameCount() + 1) + 1, hash()] }),
    () => ({ method: "swap", args: [pick(), (rng.bernoulli(0.5) ? "GSN" : "USD") as Asset, amount(200), 0n] }),
    () => ({ method: "buyback", args: [pick(), BigInt(rng.int(1_000_000) + 1) * 10n ** 12n] }),
    () => ({ method: "swap", args: ["whale", "USD", amount(60_000), 0n] }),
    () => ({ method: "slash", args: [rng.bernoulli(0.9) ? pick() : "operator", pick(), amount(100), pick()] }),
    () => ({ method: "updateStageAndRound", args: [rng.bernoulli(0.9) ? "operator" : pick()] }),
    () => {
      const voter = peer();
      const from = rng.bernoulli(0.8) ? voter.split("-")[0] : pick();
      return { method: "submitWinners", args: [from, rng.int(L.currentRound() + 2), [peer(), peer()], voter] };
    },
    () => {
      const p = peer();
      const from = rng.bernoulli(0.8) ? p.split("-")[0] : pick();
      return { method: "submitReward", args: [from, rng.int(L.currentRound() + 2), rng.int(4), BigInt(rng.int(200) - 100), p] };
    },
    () => ({ advance: rng.bernoulli(0.1) ? rng.int(8 * 86_400) : rng.int(300) }),
  ];
  return choices[rng.int(choices.length)]();
}
