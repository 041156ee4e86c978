// One Verde dispute as a process of the event kernel: the referee sends each request to both
// providers over the network, each answers after its compute time, and a per-party chess clock
// bounds the total time it may take; missing a deadline loses (REFERENCE §3, §4).
import type { Environment, SimEvent } from "../des/index.ts";
import type { ProcessGenerator } from "../des/process.ts";
import type { DisputeOutcome } from "./disputeOutcome.ts";
import { commitmentBytes, requestBytes, responseBytes, type Commitment, type DisputeRequest } from "./messages.ts";
import { runFlops, type VerifiableProgram } from "./program.ts";
import { Referee, TIMED_OUT, type Party } from "./referee.ts";
import { NO_ANSWER, type Solver } from "./solver.ts";

/** What the game needs from the world: message delivery and compute time. */
export interface DisputeTransport {
  /** Fires when `bytes` sent from `from` have arrived at `to`. */
  send(from: string, to: string, bytes: number): SimEvent<unknown>;
  /** Virtual time for `node` to compute `flops`. */
  computeTimeUs(node: string, flops: number): number;
}

export interface DisputeGameOptions {
  env: Environment;
  transport: DisputeTransport;
  /** Node id of the referee (client, committee or contract). */
  referee: string;
  /** The job's program on the reproducible backend: what the referee recomputes with. */
  program: VerifiableProgram<any>;
  initialHash: Uint8Array;
  interval: number;
  jobId: string;
  /** Chess clock per party, microseconds (REFERENCE §4: Optimism uses 3.5 days). */
  clockUs: number;
  /**
   * Clock extension (REFERENCE §4: Optimism adds 3 h when a move comes late): a party asked with
   * less than this left on its clock gets its clock raised to it, so every answer has at least
   * this long. Default 0 (no extension).
   */
  extensionUs?: number;
}

/** Runs the dispute between solvers a and b on their posted commitments; resolves to the outcome. */
export function* disputeGame(o: DisputeGameOptions, solvers: [Solver, Solver], commitments: [unknown, unknown]): ProcessGenerator<DisputeOutcome> {
  const { env, transport } = o;
  const start = env.now;
  const clock = [o.clockUs, o.clockUs];
  const extended = [0, 0];
  let bytes = 0;
  for (const c of commitments) bytes += c && typeof c === "object" ? commitmentBytes(c as Commitment) : 1;
  const referee = new Referee({ program: o.program, initialHash: o.initialHash, interval: o.interval }, commitments[0], commitments[1]);

  function* exchange(p: Party, req: DisputeRequest): ProcessGenerator<unknown> {
    const s = solvers[p];
    yield transport.send(o.referee, s.id, requestBytes(req));
    const answer = s.respond(req);
    const delay = transport.computeTimeUs(s.id, s.requestFlops(req)) + (s.behaviour.delayUs?.(req, s.answered) ?? 0);
    yield env.timeout(Math.round(delay));
    if (answer === NO_ANSWER) yield env.event("never answered");
    const size = responseBytes(answer);
    bytes += size;
    yield transport.send(s.id, o.referee, size);
    return answer;
  }

  function* timed(p: Party, req: DisputeRequest): ProcessGenerator<unknown> {
    const asked = env.now;
    const extension = o.extensionUs ?? 0;
    if (clock[p] < extension) {
      extended[p] += extension - clock[p];
      clock[p] = extension;
    }
    const answer = env.process(exchange(p, req), `verde ${o.jobId} party ${p}`);
    yield env.anyOf([answer, env.timeout(Math.max(0, clock[p]))]);
    clock[p] -= env.now - asked;
    return answer.triggered && answer.ok ? answer.value : TIMED_OUT;
  }

  while (referee.request !== null) {
    const req = referee.request;
    bytes += 2 * requestBytes(req);
    const a = env.process(timed(0, req));
    const b = env.process(timed(1, req));
    yield env.allOf([a, b]);
    referee.receive([a.value, b.value]);
  }
  const ruling = referee.ruling!;
  const ids: [string, string] = [solvers[0].id, solvers[1].id];
  const losers = ruling.losers.map((p) => ids[p]);
  return {
    jobId: o.jobId,
    parties: ids,
    winner: ruling.losers.length === 1 ? ids[1 - ruling.losers[0]] : null,
    losers,
    reason: ruling.reason,
    detail: ruling.detail,
    step: ruling.step ?? null,
    node: ruling.node ?? null,
    rounds: referee.rounds,
    bytes,
    refereeOps: referee.opsExecuted,
    refereeFlops: referee.refereeFlops,
    fullFlops: runFlops(o.program),
    durationUs: env.now - start,
    startUs: start,
    clockUsedUs: [o.clockUs + extended[0] - clock[0], o.clockUs + extended[1] - clock[1]],
  };
}
