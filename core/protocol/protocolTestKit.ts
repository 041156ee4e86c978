// Test kit for the protocol loop: a bare kernel, an in-memory ledger whose chain time follows it
// (1 s blocks), funded and staked providers on nodes 1, 2, ..., and jobs run to settlement.
import { Environment, SECOND } from "../des/index.ts";
import { defaultLedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts } from "../ledger/ledger.ts";
import { MemoryLedger } from "../ledger/memoryLedger.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { Trace } from "../run/trace.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour, Solver } from "../verde/solver.ts";
import { startJob, type CheckRecord, type JobSettlement, type ProtocolDeps } from "./verifiedJob.ts";

const WAD = 10n ** 18n;

export interface BenchJob {
  program(backend?: Backend): VerifiableProgram<any>;
  solver: Behaviour;
  verifiers: Behaviour[];
  solverBackend?: Backend;
  verifierBackends?: Backend[];
}

export interface BenchJobResult {
  solver: string;
  verifiers: string[];
  checks: CheckRecord[];
  settlement: JobSettlement;
  solverSolver: Solver;
}

export function protocolBench(jobs: BenchJob[]) {
  const config = defaultLedgerConfig;
  const env = new Environment();
  const ledger = new MemoryLedger(config, { clock: () => config.genesisTime + Math.floor(env.now / SECOND) });
  const trace = new Trace(env);
  const stakeEach = 2_000n * WAD;
  const moveDelayUs = 2 * SECOND;
  const deps: ProtocolDeps = {
    env, ledger, trace, config, blockTimeS: 1, reference: repopsBackend,
    computeTimeUs: (_node, flops) => Math.round((flops / 1e9) * SECOND),
    send: () => env.timeout(50_000),
    moveDelayUs, refereeDelayUs: 10 * SECOND, crossCheck: true,
  };
  ledger.mintUsd(systemAccounts.deployer, "submitter", 1_000_000n * WAD);
  let nextNode = 1;
  const results: BenchJobResult[] = [];
  const handles = jobs.map((j, i) => {
    const provider = (behaviour: Behaviour, backend: Backend | undefined) => {
      const nodeId = nextNode++;
      const account = `n${nodeId}`;
      ledger.transfer(systemAccounts.deployer, account, "GSN", stakeEach + 10n * config.dispute.bond);
      ledger.stake(account, stakeEach);
      return { account, nodeId, backend: backend ?? repopsBackend, behaviour };
    };
    const solver = provider(j.solver, j.solverBackend);
    const verifiers = j.verifiers.map((b, k) => provider(b, j.verifierBackends?.[k]));
    const handle = startJob(deps, {
      name: `bench/job${i}`, submitter: "submitter", fee: 100n * WAD, specHash: `0x${(i + 1).toString(16).padStart(64, "0")}`,
      program: (backend) => j.program(backend), solver, verifiers, checks: verifiers.map(() => true),
    });
    return { handle, solver, verifiers };
  });
  env.run(env.allOf(handles.map((h) => h.handle.settled)));
  for (const { handle, solver, verifiers } of handles) {
    results.push({
      solver: solver.account,
      verifiers: verifiers.map((v) => v.account),
      checks: handle.verified.value,
      settlement: handle.settled.value,
      solverSolver: handle.committed.value,
    });
  }
  return { env, ledger, trace, config, stakeEach, moveDelayUs, jobs: results };
}
