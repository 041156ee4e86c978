// One job replicated to several providers (REFERENCE §1, §3): each trains (virtual compute time
// on its node), posts its commitment to the referee, and differing commitments go to a
// tournament of Verde disputes. The outcome says whose result stands and whom to slash.
import type { Environment } from "../des/index.ts";
import type { ProcessGenerator } from "../des/process.ts";
import { stateHash, type VerifiableProgram } from "./program.ts";
import { commitmentBytes } from "./messages.ts";
import type { DisputeTransport } from "./disputeGame.ts";
import { Solver, type Behaviour } from "./solver.ts";
import { tournament, type TournamentOutcome } from "./tournament.ts";

export interface ProviderSpec {
  id: string;
  behaviour: Behaviour;
  /** The job's program on this provider's backend (default: the reference program). */
  program?: VerifiableProgram<any>;
}

export interface ReplicatedJobOptions {
  env: Environment;
  transport: DisputeTransport;
  jobId: string;
  referee: string;
  /** The job on the reproducible backend (repops): what honest providers and the referee run. */
  program: VerifiableProgram<any>;
  providers: readonly ProviderSpec[];
  interval?: number;
  clockUs?: number;
  /** Chess-clock extension per answer (REFERENCE §4); default 0. */
  extensionUs?: number;
  keepEvery?: number;
}

export interface JobOutcome extends TournamentOutcome {
  providers: { id: string; kind: string; honest: boolean; backend: string }[];
  /** Whether any two commitments differed (a dispute was raised). */
  disputed: boolean;
  /** Virtual time from the job's start to the last ruling, microseconds. */
  durationUs: number;
}

export function* replicatedJob(o: ReplicatedJobOptions): ProcessGenerator<JobOutcome> {
  const { env, transport } = o;
  const start = env.now;
  const interval = o.interval ?? 1;
  const solvers = o.providers.map((p) => new Solver({ id: p.id, program: p.program ?? o.program, behaviour: p.behaviour, interval, keepEvery: o.keepEvery }));
  const commitments = solvers.map((s) => s.train());
  // Every provider trains in parallel on its own node, then posts its commitment to the referee.
  const posted = solvers.map((s, i) =>
    env.process(
      (function* () {
        yield env.timeout(transport.computeTimeUs(s.id, s.trainFlops));
        yield transport.send(s.id, o.referee, commitmentBytes(commitments[i]));
      })(),
    ),
  );
  yield env.allOf(posted);
  const t: TournamentOutcome = yield env.process(
    tournament(
      {
        env,
        transport,
        referee: o.referee,
        program: o.program,
        initialHash: stateHash(o.program.stateTensors(o.program.initialState())),
        interval,
        jobId: o.jobId,
        clockUs: o.clockUs ?? 3_600_000_000,
        extensionUs: o.extensionUs ?? 0,
      },
      solvers.map((solver, i) => ({ solver, commitment: commitments[i] })),
    ),
  );
  return {
    ...t,
    providers: o.providers.map((p, i) => ({ id: p.id, kind: p.behaviour.kind, honest: p.behaviour.honest, backend: solvers[i].program.backend })),
    disputed: t.disputes.length > 0,
    durationUs: env.now - start,
  };
}
