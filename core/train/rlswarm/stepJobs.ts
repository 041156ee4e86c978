// A swarm node's GRPO step as a verifiable protocol job (core/protocol/verifiedJob.ts; REFERENCE
// §1, §3, §7), when `verify` is set: the job's program is the node's own update (the policy's
// training graph from its current weights, Adam moments and step count, on the round's rows), the
// node is the solver and the state it commits IS its new policy. A swarm poisoner solves its step
// as core/agents' poison (each update reversed and scaled); another member, sampled at `rate`,
// re-executes the step and challenges a mismatching result, and the dispute game on the ledger
// slashes the loser. Jobs run one node at a time (no replica batching), so this mode is slower.
import { behaviours } from "../../agents/index.ts";
import { SECOND, type ProcessGenerator, type SimEvent } from "../../des/index.ts";
import type { LedgerConfig } from "../../ledger/deployment.ts";
import { systemAccounts, type Bytes32, type Ledger } from "../../ledger/ledger.ts";
import type { Backend } from "../../ml/backend.ts";
import { hashBytes, toHex } from "../../ml/hash.ts";
import { hex32 } from "../../protocol/chainClaims.ts";
import { startJob, type JobHandle, type ProtocolDeps, type TraceSink } from "../../protocol/verifiedJob.ts";
import { GraphProgram, type GraphState } from "../../verde/graphProgram.ts";
import { HONEST } from "../../verde/solver.ts";
import type { RngStreams } from "../../des/rng.ts";
import type { World } from "../../world/world.ts";
import { fillTrainFeeds, type TrainRow } from "./grpo.ts";
import type { PolicySet } from "./policySet.ts";
import type { SwarmNode } from "./swarmRuntime.ts";

export interface StepJobOptions {
  rate: number;
  stakeGsn: number;
  feeUsd: number;
  moveDelayS: number;
  refereeDelayS: number;
}

const wei = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
export const SWARM_TRAINER = "swarm-trainer";

interface StepRecord {
  node: number;
  kind: string;
  handle: JobHandle;
  checked: boolean | null;
  challenged: boolean | null;
}

export class SwarmStepJobs {
  private readonly deps: ProtocolDeps;
  private readonly records: StepRecord[] = [];
  private readonly busy = new Map<number, number>();
  private readonly stakeBefore = new Map<string, bigint>();
  /** Steps taken without a job (stake below the minimum), by node kind. */
  private readonly unstaked = new Map<string, number>();

  constructor(
    private readonly o: StepJobOptions & {
      env: ProtocolDeps["env"]; ledger: Ledger; config: LedgerConfig; blockTimeS: number; trace: TraceSink; world: World; streams: RngStreams;
      policies: PolicySet; reference: Backend; backend: Backend; lr: number; nodes: readonly SwarmNode[]; members: readonly number[];
      /** Virtual training FLOPs of one node's step (the proxy step's FLOPs are scaled up to it). */
      virtualFlopsPerStep: number;
    },
  ) {
    const env = o.env;
    let scale = 0;
    this.deps = {
      env, ledger: o.ledger, trace: o.trace, config: o.config, blockTimeS: o.blockTimeS, reference: o.reference, crossCheck: false,
      moveDelayUs: Math.round(o.moveDelayS * SECOND), refereeDelayUs: Math.round(o.refereeDelayS * SECOND),
      // A node computes one job at a time.
      computeTimeUs: (node, flops) => {
        if (scale === 0) scale = o.virtualFlopsPerStep / Math.max(1, flops);
        const dur = o.world.computeTimeUs(node, flops * scale);
        const start = Math.max(env.now, this.busy.get(node) ?? 0);
        this.busy.set(node, start + dur);
        return start + dur - env.now;
      },
      send: (from, to, bytes) => o.world.network.send(from, to, bytes) as SimEvent<unknown>,
    };
  }

  /** Stakes every member (they solve and verify) and funds the trainer account that pays `jobs` step fees. */
  fund(jobs: number): void {
    const { ledger, config } = this.o;
    const stake = wei(this.o.stakeGsn);
    for (const i of this.o.members) {
      const a = this.o.nodes[i].account;
      ledger.transfer(systemAccounts.deployer, a, "GSN", stake + 10n * config.dispute.bond);
      ledger.stake(a, stake);
      this.stakeBefore.set(a, ledger.stakeOf(a));
    }
    ledger.mintUsd(systemAccounts.deployer, SWARM_TRAINER, wei(this.o.feeUsd) * BigInt(jobs));
  }

  private program(me: SwarmNode, r: number, rows: readonly TrainRow[], backend: Backend): GraphProgram {
    const { policies } = this.o;
    const { trainBatch: B, context: T, pad } = policies.shape;
    const data = { tokens: new Float32Array(B * T), targets: new Float32Array(B * T), weights: new Float32Array(B * T) };
    fillTrainFeeds(rows, B, T, pad, data, 0);
    return new GraphProgram({
      name: `rlswarm/round${r}/node${me.id}`,
      train: policies.train,
      backend,
      reference: this.o.reference,
      steps: 1,
      initialParams: policies.nodeParams(me.id),
      initialStates: policies.nodeStates(me.id),
      stepOffset: policies.steps[me.id],
      batch: () => data,
      lr: () => this.o.lr,
    });
  }

  /** Node `me`'s GRPO step of round r as a job; resolves once it committed, with its committed state as the node's policy. */
  *step(me: SwarmNode, r: number, rows: readonly TrainRow[]): ProcessGenerator<void> {
    const { members, nodes, streams, ledger, config } = this.o;
    // A node slashed below the market's minimum solver stake gets no more jobs: it trains on its
    // own, unpaid and unverified (counted).
    if (ledger.stakeOf(me.account) < config.market.minSolverStake) {
      this.unstaked.set(me.behaviour.kind, (this.unstaked.get(me.behaviour.kind) ?? 0) + 1);
      this.o.policies.step([{ node: me.id, rows }], this.o.lr);
      yield this.o.env.timeout(this.o.world.computeTimeUs(me.id, this.o.virtualFlopsPerStep));
      return;
    }
    const reference = this.program(me, r, rows, this.o.reference);
    const kind = me.behaviour.kind === "poisoner" ? "poison" : "honest";
    const behaviour = kind === "honest" ? HONEST : behaviours("poison", reference, streams.stream("rlswarm", "job", me.id, r), 1)[0];
    // The verifier: the next member (in member order) with the minimum stake.
    const at = members.indexOf(me.id);
    const verifier = members.map((_, d) => members[(at + 1 + d) % members.length]).find((n) => n !== me.id && ledger.stakeOf(nodes[n].account) >= config.market.minVerifierStake);
    const checkRng = streams.stream("rlswarm", "verify", me.id, r);
    const w0 = policies0(reference);
    const spec = hex32(hashBytes(new TextEncoder().encode(`rlswarm|round ${r}|node ${me.id}|start ${w0}`)));
    const handle = startJob(this.deps, {
      name: reference.name,
      submitter: SWARM_TRAINER,
      fee: wei(this.o.feeUsd),
      specHash: spec as Bytes32,
      program: (backend) => (backend === this.o.reference ? reference : this.program(me, r, rows, backend)),
      solver: { account: me.account, nodeId: me.id, backend: this.o.backend, behaviour },
      verifiers: verifier === undefined ? [] : [{ account: nodes[verifier].account, nodeId: verifier, backend: this.o.backend, behaviour: HONEST }],
      checks: verifier === undefined ? [] : [checkRng.bernoulli(this.o.rate)],
    });
    const record: StepRecord = { node: me.id, kind, handle, checked: null, challenged: null };
    this.records.push(record);
    handle.checked.addCallback(() => {
      const c = handle.checked.value[0] ?? null;
      record.checked = c !== null;
      record.challenged = c?.challenged ?? false;
    });
    if (!handle.committed.triggered) yield handle.committed;
    this.o.policies.setNodeState(me.id, handle.committed.value.finalState as GraphState);
  }

  /** Fires when every job so far is settled (paid or refunded). */
  settled(): SimEvent<unknown>[] {
    return this.records.map((r) => r.handle.settled as SimEvent<unknown>);
  }

  summary(): Record<string, unknown> {
    const { ledger } = this.o;
    const by = (k: string) => this.records.filter((r) => (k === "poison" ? r.kind === "poison" : r.kind === "honest"));
    const tally = (rs: StepRecord[]) => ({
      jobs: rs.length,
      checked: rs.filter((r) => r.checked).length,
      challenged: rs.filter((r) => r.challenged).length,
      rejected: rs.filter((r) => r.handle.settled.triggered && r.handle.settled.value.end === "rejected").length,
      paid: rs.filter((r) => r.handle.settled.triggered && r.handle.settled.value.end === "paid").length,
    });
    const slashed = (kind: string) => {
      const accts = [...new Set(this.records.filter((r) => r.kind === kind).map((r) => this.o.nodes[r.node].account))];
      return accts.reduce((a, acct) => a + Number(((this.stakeBefore.get(acct) ?? 0n) - ledger.stakeOf(acct)) / 10n ** 12n) / 1e6, 0);
    };
    return {
      rate: this.o.rate, honest: tally(by("honest")), poison: tally(by("poison")), slashedGsn: { honest: slashed("honest"), poison: slashed("poison") },
      stepsWithoutJob: Object.fromEntries([...this.unstaked].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    };
  }
}

/** Hash of a program's initial state (the job spec names the weights it starts from). */
function policies0(p: GraphProgram): string {
  const s = p.initialState() as GraphState;
  const parts = s.map((t) => toHex(hashBytes(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)))).join("");
  return toHex(hashBytes(new TextEncoder().encode(parts)));
}
