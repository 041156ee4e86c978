// The `verde-disputes` workload: jobs arrive over time; each is replicated to providers on world
// nodes (honest ones on their hardware's backend, the rest drawn from the adversary mix), trained
// for real, committed, and disputed over the network with Verde. Reports detection, false
// disputes and the cost of every dispute (DESIGN: Verification; REFERENCE §1-4).
import type { SimEvent } from "../des/index.ts";
import type { ProcessGenerator } from "../des/process.ts";
import { ConfigError } from "../errors.ts";
import { behaviours, type BehaviourKind } from "../agents/index.ts";
import { nonReproducible } from "../agents/nonReproducible.ts";
import { getBackend, type Backend } from "../ml/backend.ts";
import { toHex } from "../ml/hash.ts";
import type { RunContext, Workload, WorkloadRun } from "../run/index.ts";
import { verdeDisputesSchema, type VerdeDisputesParams } from "./disputesParams.ts";
import { summarizeJobs } from "./disputesSummary.ts";
import { outcomeFields } from "./disputeOutcome.ts";
import { mlpJobProgram } from "./mlpJob.ts";
import { proxyTaskJobProgram } from "./proxyTaskJob.ts";
import type { VerifiableProgram } from "./program.ts";
import { makeShards, makeTask } from "../train/proxyTask.ts";
import { replicatedJob, type JobOutcome, type ProviderSpec } from "./replicatedJob.ts";
import { HONEST, Solver } from "./solver.ts";
import { worldTransport } from "./worldTransport.ts";

type Arm = "main" | "control";

function pickWeighted<K extends string>(mix: Partial<Record<K, number>>, r: number): K {
  const keys = (Object.keys(mix) as K[]).sort();
  const total = keys.reduce((a, k) => a + (mix[k] ?? 0), 0);
  if (!(total > 0)) throw new ConfigError(`verde-disputes: a mix needs a positive weight, got ${JSON.stringify(mix)}`);
  let x = r * total;
  for (const k of keys) {
    x -= mix[k] ?? 0;
    if (x < 0) return k;
  }
  return keys[keys.length - 1];
}

export const verdeDisputesWorkload: Workload<VerdeDisputesParams> = {
  kind: "verde-disputes",
  async start(ctx: RunContext, p: VerdeDisputesParams): Promise<WorkloadRun> {
    const { env, world, streams, trace, metrics } = ctx;
    if (world.size < p.providers + 1) throw new ConfigError(`verde-disputes: needs at least ${p.providers + 1} nodes (providers + referee), the world has ${world.size}`);
    if (p.referee >= world.size) throw new ConfigError(`verde-disputes: referee node ${p.referee} does not exist (the world has ${world.size})`);
    const candidates = Array.from({ length: world.size }, (_, i) => i).filter((i) => i !== p.referee);
    // An honest provider runs the kernels of its node's hardware (REFERENCE §2): backendByHardware.
    const backendOfNode = (node: number): string => {
      const hw = world.node(node).hardware.name;
      const name = p.backendByHardware[hw] ?? p.backendByHardware.default;
      if (name === undefined) throw new ConfigError(`verde-disputes: backendByHardware: node ${node} is ${hw}, which has no entry and there is no default (e.g. default: repops)`);
      return name;
    };
    candidates.forEach(backendOfNode);
    const backends = new Map<string, Backend>([["repops", await getBackend("repops")]]);
    for (const key of Object.keys(p.backendByHardware).sort()) {
      const name = p.backendByHardware[key];
      if (backends.has(name)) continue;
      try {
        backends.set(name, await getBackend(name));
      } catch (e) {
        throw new ConfigError(`verde-disputes: backendByHardware.${key}: ${(e as Error).message}`);
      }
    }
    const reproducible = [...backends.values()].filter((b) => b.reproducible).map((b) => b.name).sort();
    // Job j's program on a backend: a Gaussian-mixture MLP, or worker j's inner steps on TRAINING's proxy task.
    const jobSpec = p.job;
    const proxy =
      jobSpec.kind === "proxy-task"
        ? (() => {
            const task = makeTask(jobSpec.task, streams, "verde");
            return { task, shards: makeShards(task, p.jobs, jobSpec.alpha, jobSpec.shardSize, streams) };
          })()
        : null;
    const jobProgram = (j: number, backend: Backend): VerifiableProgram<any> =>
      proxy === null
        ? mlpJobProgram({ steps: p.steps, seed: streams.seed * 1000 + j, ...p.model }, backend)
        : proxyTaskJobProgram(
            { name: `job${j}`, task: proxy.task, shard: proxy.shards[j], steps: p.steps, hidden: p.model.hidden[0] ?? 16, batch: p.model.batch, lr: p.model.lr, streams },
            backend,
          );
    const repops = backends.get("repops")!;
    const proxyStepFlops = jobProgram(0, repops).stepFlops(0);
    const flopsScale = p.virtualStepFlops === null ? 1 : p.virtualStepFlops / proxyStepFlops;
    const transport = worldTransport(env, world, { nodeOf: (id) => Number(id.slice(id.indexOf("node") + 4)), flopsScale });
    const refereeId = `node${p.referee}`;
    const results: Record<Arm, { outcome: JobOutcome; reference: string }[]> = { main: [], control: [] };

    function* job(j: number): ProcessGenerator<void> {
      yield env.timeout(j * p.every);
      const rng = streams.stream("verde", "job", j);
      const reference = jobProgram(j, repops);
      const nodes = rng.shuffle(candidates.slice()).slice(0, p.providers).sort((a, b) => a - b);
      const kinds: BehaviourKind[] = nodes.map((_, i) => (i < p.honestPerJob ? "honest" : pickWeighted(p.mix, rng.random())));
      // Colluding providers of one job post the same wrong result: one behaviour, shared.
      const collusion = behaviours("colluding", reference, streams.stream("verde", "job", j, "collusion"))[0];
      const specs = (arm: Arm): ProviderSpec[] =>
        nodes.map((node, i) => {
          const kind = kinds[i];
          const id = `${arm === "control" ? "control-" : ""}node${node}`;
          if (kind !== "honest") {
            const b = kind === "colluding" ? collusion : behaviours(kind, reference, streams.stream("verde", "job", j, "provider", i))[0];
            return { id, behaviour: b };
          }
          // Each provider builds its own program (own state); the backend is a stateless executor.
          // The seed is the job's: every party trains the very same job, only the kernels differ.
          const backend = arm === "control" ? "repops" : backendOfNode(node);
          if (backend === "repops") return { id, behaviour: HONEST };
          return { id, behaviour: nonReproducible(backend), program: jobProgram(j, backends.get(backend)!) };
        });
      const referenceResult = toHex(new Solver({ id: "reference", program: reference }).train().result);
      const arms: Arm[] = p.control ? ["main", "control"] : ["main"];
      const runs = arms.map((arm) =>
        env.process(
          replicatedJob({ env, transport, jobId: `${arm}/job${j}`, referee: refereeId, program: reference, providers: specs(arm), interval: p.interval, clockUs: p.clock, extensionUs: p.clockExtension, keepEvery: p.keepEvery }),
        ),
      );
      yield env.allOf(runs);
      arms.forEach((arm, a) => {
        const outcome = runs[a].value as JobOutcome;
        results[arm].push({ outcome, reference: referenceResult });
        for (const d of outcome.disputes) {
          trace.emit("verde.dispute", { arm, ...outcomeFields(d) });
          metrics.record("verde.dispute.rounds", d.rounds, { arm });
          metrics.record("verde.dispute.bytes", d.bytes, { arm });
          metrics.record("verde.dispute.durationS", d.durationUs / 1e6, { arm });
        }
        trace.emit("verde.job", {
          arm,
          job: j,
          providers: outcome.providers.map((x) => `${x.id}:${x.kind}:${x.backend}`).join(" "),
          disputed: outcome.disputed,
          accepted: outcome.accepted.join(","),
          slashed: outcome.slashed.join(","),
          correct: outcome.result === referenceResult,
        });
      });
    }

    const jobs: SimEvent<unknown>[] = Array.from({ length: p.jobs }, (_, j) => env.process(job(j), `verde job ${j}`));
    const done = env.allOf(jobs);
    return {
      done,
      summary(): Record<string, unknown> {
        // Code-unit order: localeCompare depends on the engine's ICU data and locale.
        const byJob = (arm: Arm) => results[arm].slice().sort((a, b) => (a.outcome.jobId < b.outcome.jobId ? -1 : a.outcome.jobId > b.outcome.jobId ? 1 : 0));
        const main = summarizeJobs(byJob("main"), reproducible);
        const out: Record<string, unknown> = { ...main, finishedJobs: results.main.length, steps: p.steps, providersPerJob: p.providers, proxyStepFlops, virtualStepFlops: proxyStepFlops * flopsScale };
        if (p.control) out.control = summarizeJobs(byJob("control"), reproducible);
        return out;
      },
    };
  },
};

/** The scenario registry entry (sim/scenario/workloads/index.ts). */
export const verdeDisputesEntry = { schema: verdeDisputesSchema, workload: verdeDisputesWorkload };
