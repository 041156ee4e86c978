// What a swarm node's round loop uses from the running workload (swarm.ts builds it): the node
// records, batched generation and GRPO steps, the DHT (put to every member, gather a key after
// the window), chain calls with the real client's error handling, and the tallies the summary
// compares with the coordinator. The v2 loop lives in swarm.ts, the v1 staged loop in stagedRound.ts.
import type { Environment, ProcessGenerator } from "../../des/index.ts";
import type { Rng, RngStreams } from "../../des/rng.ts";
import type { Ledger } from "../../ledger/ledger.ts";
import type { SwarmBehaviour } from "../../agents/swarmAdversaries.ts";
import type { World } from "../../world/world.ts";
import type { TrainRow } from "./grpo.ts";
import type { RlswarmParams } from "./params.ts";
import type { RejectReason } from "./payload.ts";

export interface SwarmNode {
  id: number;
  peer: string;
  account: string;
  behaviour: SwarmBehaviour;
  joined: boolean;
  roundsDone: number;
  roundsMissed: number;
  cumulativeReward: number;
  rewardByRound: Map<number, number>;
  batch: number;
  signals: Map<string, number>;
  lastSubmit: number;
  inbox: { raw: unknown; slot: number; at: number; from: number }[];
  /** Gathered payload items that came from malformed publishers (ground truth, for the summary only). */
  fromMalformed: number;
  externalUsed: number;
  rejected: Record<RejectReason, number>;
  accepted: number;
  sybilIds: string[];
}

export interface SwarmRuntime {
  env: Environment;
  p: RlswarmParams;
  ledger: Ledger;
  streams: RngStreams;
  world: World;
  nodes: SwarmNode[];
  members: number[];
  /** Samples completions for `prompts` (batched with whoever asks in the same instant); takes `us` of virtual time. */
  generate(me: SwarmNode, prompts: number[][], rng: Rng, us: number): ProcessGenerator<number[][]>;
  /** Queues one GRPO update on `rows` and waits `us`. */
  train(me: SwarmNode, rows: TrainRow[], us: number): ProcessGenerator<void>;
  /** A DHT put under `slot`, delivered to every other member through the network. */
  publish(me: SwarmNode, raw: unknown, slot: number): void;
  /** Waits the gather window, then returns (and consumes) the puts stored under `slot` that are still alive, with their sender. */
  gather(me: SwarmNode, slot: number): ProcessGenerator<{ raw: unknown; from: number }[]>;
  /** A coordinator call; a revert is logged and counted, state kept (rl-swarm 6a64bb3). */
  tryCall(what: string, me: SwarmNode, fn: () => void): boolean;
  /** Records a successful submitReward / submitWinners in the simulator's own tallies. */
  tallyReward(me: SwarmNode, round: number, stage: number, reward: bigint): void;
  tallyWin(winner: string): void;
  /** Honest nodes' round reward (the final stage's in v1) for the curve. */
  recordRound(me: SwarmNode, round: number, reward: number): void;
  /** Virtual microseconds node i takes to generate / train `completions` completions. */
  genUs(i: number, completions: number): number;
  trainUs(i: number, completions: number): number;
}
