// The dispute game in memory: the honest party always wins, the bisection finds the faulty step
// and graph node, and rounds stay logarithmic (REFERENCE §3, §10.6). Twin of the forge fuzz test
// testFuzz_HonestPartyAlwaysWins in contracts/test/DisputeGame.t.sol.
import { describe, expect, test } from "bun:test";
import { Rng } from "../des/rng.ts";
import { MemoryLedger } from "./memoryLedger.ts";
import type { Bytes32 } from "./ledger.ts";

const W = 10n ** 18n;

interface Fault {
  steps: number;
  step: number;
  nodes: number;
  node: number;
  defenderLies: boolean;
}

/** A party's claimed hash: honest up to the fault, different after it (the liar). */
function claimHash(phase: "step" | "graph", pos: number, liar: boolean, f: Fault): Bytes32 {
  // The graph chain of the disputed step ends in that step's output state.
  if (phase === "graph" && pos === f.nodes) return claimHash("step", f.step + 1, liar, f);
  const wrong = liar && pos > (phase === "step" ? f.step : f.node);
  const tag = (phase === "step" ? 1 : 2) * 2 + (wrong ? 1 : 0);
  return `0x${tag.toString(16).padStart(8, "0")}${pos.toString(16).padStart(56, "0")}`;
}

function play(f: Fault): { outcome: string; step: number; node: number; rounds: number } {
  const L = new MemoryLedger();
  for (const n of ["solver", "verifier"]) {
    L.transfer("deployer", n, "GSN", 5_000n * W);
    L.stake(n, 2_000n * W);
  }
  L.mintUsd("deployer", "sub", 100n * W);
  const j = L.postJob("sub", { fee: 100n * W, specHash: `0x${"11".repeat(32)}`, steps: f.steps, graphNodes: f.nodes });
  L.assign("operator", j, "solver", ["verifier"]);
  L.commit("solver", j, claimHash("step", f.steps, f.defenderLies, f));
  const g = L.challenge("verifier", j, claimHash("step", f.steps, !f.defenderLies, f));
  let rounds = 0;
  for (let s = L.game(g); s.phase !== "Referee"; s = L.game(g)) {
    const mid = s.lo + Math.floor((s.hi - s.lo) / 2);
    const phase = s.phase === "Graph" ? "graph" : "step";
    L.claim("solver", g, claimHash(phase, mid, f.defenderLies, f));
    L.claim("verifier", g, claimHash(phase, mid, !f.defenderLies, f));
    rounds++;
  }
  const s = L.game(g);
  const outcome = L.rule("referee", g, claimHash("graph", s.hi, false, f));
  return { outcome, step: s.step, node: s.node, rounds };
}

/** ceil(log2(n)) in integers. */
function ceilLog2(n: number): number {
  let k = 0;
  while ((1 << k) < n) k++;
  return k;
}

function expectHonestWins(f: Fault): void {
  const r = play(f);
  expect(r.outcome).toBe(f.defenderLies ? "ChallengerWon" : "DefenderWon");
  expect([r.step, r.node]).toEqual([f.step, f.node]);
  expect(r.rounds).toBeLessThanOrEqual(ceilLog2(f.steps) + ceilLog2(f.nodes));
}

describe("dispute game: the honest party always wins", () => {
  test("fixed case (the forge twin's input): 1000 steps, fault at 617, 64 nodes, node 63", () => {
    expectHonestWins({ steps: 1_000, step: 617, nodes: 64, node: 63, defenderLies: true });
    expect(play({ steps: 1_000, step: 617, nodes: 64, node: 63, defenderLies: true }).rounds).toBe(16);
  });

  test("200 random faults, either party lying", () => {
    const rng = new Rng("game-honest");
    for (let i = 0; i < 200; i++) {
      const steps = rng.int(100_000) + 1;
      const nodes = rng.int(5_000) + 1;
      expectHonestWins({ steps, step: rng.int(steps), nodes, node: rng.int(nodes), defenderLies: rng.bernoulli(0.5) });
    }
  });
});
