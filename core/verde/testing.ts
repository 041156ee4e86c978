// Shared set-up for Verde's tests and benchmark: run one replicated job on a bare kernel with a
// simple transport and return its outcome.
import { Environment } from "../des/index.ts";
import type { VerifiableProgram } from "./program.ts";
import { treeHeight } from "./merkleDescent.ts";
import { replicatedJob, type JobOutcome, type ProviderSpec } from "./replicatedJob.ts";
import { simpleTransport } from "./simpleTransport.ts";

export interface RunJobOptions {
  interval?: number;
  clockUs?: number;
  extensionUs?: number;
  keepEvery?: number;
}

export function runJob(program: VerifiableProgram<any>, providers: ProviderSpec[], options: RunJobOptions = {}): JobOutcome {
  const env = new Environment();
  const job = env.process(replicatedJob({ env, transport: simpleTransport(env), jobId: "job", referee: "referee", program, providers, ...options }));
  env.run(job);
  return job.value;
}

/** Verde's round bound: ceil(log2 steps) + ceil(log2 graph nodes) + a small constant (3 with k = 1, 5 with k > 1). */
export function roundBound(steps: number, nodes: number, interval: number): number {
  return treeHeight(steps) + treeHeight(nodes) + (interval === 1 ? 3 : 5); // treeHeight(n) = ceil(log2 n)
}
