// What the training workloads need of a run (a structural subset of core/run's RunContext), so
// tests can drive them on a bare kernel and world.
import type { Environment } from "../des/environment.ts";
import type { RngStreams } from "../des/rng.ts";
import type { Backend } from "../ml/backend.ts";
import type { Transport } from "./collectives.ts";
import type { Settlement } from "../protocol/roundJobs.ts";

export interface TrainWorld {
  readonly nodes: readonly { readonly id: number; available: boolean }[];
  computeTimeUs(nodeId: number, flops: number): number;
  /** Whether a model of `bytes` fits in the node's memory (absent: everything fits). */
  fitsInMemory?(nodeId: number, bytes: number): boolean;
  readonly network: Transport;
  onChange(cb: (node: { readonly id: number }, available: boolean, reason: string) => void): void;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface TrainContext {
  env: Environment;
  streams: RngStreams;
  world: TrainWorld;
  trace: { emit(type: string, fields?: Record<string, Json>): void };
  metrics: { record(name: string, value: number, labels?: Record<string, string | number>): void };
  backend: string;
  /** The loaded backend named by `backend` (workloads.ts loads it before the arms start). */
  mlBackend?: Backend;
  /** Other loaded backends by name (arms' verification.backendByHardware; workloads.ts loads them). */
  backends?: ReadonlyMap<string, Backend>;
  /** Where contributions settle when arms run them as protocol jobs (the protocol workload's ledger); absent: an arm-local in-memory ledger. */
  settlement?: Settlement;
}
