// Random SwarmCoordinator traffic for the differential test (contracts/ledgerParity.test.ts):
// registrations (the empty id included), the clock, votes with unregistered, repeated and empty
// winner lists, rewards for past, current and future rounds and stages, the stage-count setter,
// role grants and revocations, bootnodes. Many calls revert on purpose, each rule in turn.
import type { Rng } from "../des/rng.ts";
import type { Ledger, LedgerCall } from "./ledger.ts";
import { nextTrafficStep, TRAFFIC_NODES, type TrafficStep } from "./randomTraffic.ts";
import { SwarmRoles } from "./swarmBook.ts";

/** Every peer id the traffic uses: trafficSetup's two per node, two more per node, the empty one, a ghost. */
export const SWARM_PEERS: string[] = [
  ...TRAFFIC_NODES.flatMap((n) => [`${n}-a`, `${n}-b`, `${n}-c`, `${n}-d`]), "", "ghost",
];

/** Accounts that may hold roles: the traffic nodes and the system accounts. */
export const SWARM_ROLE_ACCOUNTS: string[] = [...TRAFFIC_NODES, "deployer", "operator"];

/** The next step: with probability `share` a SwarmCoordinator call, else the protocol traffic's. */
export function nextSwarmTrafficStep(L: Ledger, rng: Rng, share = 0.8): TrafficStep {
  if (!rng.bernoulli(share)) return nextTrafficStep(L, rng);
  const S = L.swarmView();
  const pick = (): string => TRAFFIC_NODES[rng.int(TRAFFIC_NODES.length)];
  const peer = (): string => SWARM_PEERS[rng.int(SWARM_PEERS.length)];
  /** Mostly the peer's owner (so calls get past the owner check), sometimes anyone. */
  const ownerOr = (p: string): string => (rng.bernoulli(0.85) ? (S.peerOwner(p) ?? pick()) : pick());
  const holder = (ofRole: (typeof SwarmRoles)[number]): string => {
    const all = SWARM_ROLE_ACCOUNTS.filter((a) => S.hasRole(ofRole, a));
    return all.length > 0 && rng.bernoulli(0.85) ? all[rng.int(all.length)] : SWARM_ROLE_ACCOUNTS[rng.int(SWARM_ROLE_ACCOUNTS.length)];
  };
  const round = (): number => Math.max(0, S.currentRound() - rng.int(3) + (rng.bernoulli(0.1) ? 1 : 0));
  const calls: [number, () => LedgerCall][] = [
    [2, () => ({ method: "registerPeer", args: [pick(), peer()] })],
    [4, () => ({ method: "updateStageAndRound", args: [holder("STAGE_MANAGER_ROLE")] })],
    [6, () => {
      const voter = peer();
      const n = rng.int(4);
      const winners = Array.from({ length: n }, () => peer());
      if (n > 0 && rng.bernoulli(0.3)) winners.splice(0, winners.length, ...new Set(winners)); // mostly distinct
      return { method: "submitWinners", args: [ownerOr(voter), round(), winners, voter] };
    }],
    [8, () => {
      const p = peer();
      const r = round();
      const stage = r === S.currentRound() ? rng.int(S.currentStage() + 2) : rng.int(S.stageCount() + 2);
      return { method: "submitReward", args: [ownerOr(p), r, stage, BigInt(rng.int(400) - 150), p] };
    }],
    [1, () => ({ method: "setStageCount", args: [rng.bernoulli(0.8) ? "deployer" : pick(), rng.int(4)] })],
    [2, () => {
      const role = SwarmRoles[rng.int(SwarmRoles.length)];
      const grant = rng.bernoulli(0.6);
      // The deployer keeps its OWNER_ROLE, so that owner-only calls keep being exercised.
      const targets = grant || role !== "OWNER_ROLE" ? SWARM_ROLE_ACCOUNTS : SWARM_ROLE_ACCOUNTS.filter((a) => a !== "deployer");
      return { method: grant ? "grantSwarmRole" : "revokeSwarmRole", args: [holder("OWNER_ROLE"), role, targets[rng.int(targets.length)]] };
    }],
    [2, () => ({ method: "addBootnodes", args: [holder("BOOTNODE_MANAGER_ROLE"), Array.from({ length: rng.int(4) }, () => `/ip4/10.0.0.${rng.int(50)}/tcp/38331`)] })],
    [2, () => ({ method: "removeBootnode", args: [holder("BOOTNODE_MANAGER_ROLE"), rng.int(S.bootnodes().length + 2)] })],
    [1, () => ({ method: "clearBootnodes", args: [holder("BOOTNODE_MANAGER_ROLE")] })],
  ];
  let k = rng.int(calls.reduce((a, [w]) => a + w, 0));
  for (const [w, make] of calls) {
    if (k < w) return make();
    k -= w;
  }
  throw new Error("unreachable");
}
