// Benchmark of Verde disputes: rounds against the log2(steps) + log2(nodes) bound, bytes, and the
// referee's cost against re-running the whole job, as FLOPs and as measured time in the same run.
// Prints JSON lines {"bench":"verde","metric":...,"value":...,"unit":...}. Run: bun bench/verde.ts [--quick]
import { wrongOp } from "../core/agents/wrongOp.ts";
import { Environment } from "../core/des/index.ts";
import { disputeGame } from "../core/verde/disputeGame.ts";
import { mlpJobProgram } from "../core/verde/mlpJob.ts";
import { runFlops, stateHash, type VerifiableProgram } from "../core/verde/program.ts";
import { simpleTransport } from "../core/verde/simpleTransport.ts";
import { Solver } from "../core/verde/solver.ts";
import { roundBound } from "../core/verde/testing.ts";
import { TinyMlpProgram } from "../core/verde/tinyMlpProgram.ts";

const quick = process.argv.includes("--quick");

function line(metric: string, value: number, unit: string, extra: Record<string, unknown>): void {
  console.log(JSON.stringify({ bench: "verde", metric, value, unit, ...extra }));
}

/** The referee's program with its one-op recomputation timed. */
function timed<S>(program: VerifiableProgram<S>, clock: { ms: number }): VerifiableProgram<S> {
  return new Proxy(program, {
    get(target, key, receiver) {
      if (key !== "recomputeNode") {
        const v = Reflect.get(target, key, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      }
      return (i: number, node: number, inputs: readonly Float32Array[]) => {
        const t = performance.now();
        const out = target.recomputeNode(i, node, inputs);
        clock.ms += performance.now() - t;
        return out;
      };
    },
  });
}

function bench(label: string, program: VerifiableProgram<any>, step: number): void {
  const t0 = performance.now();
  const honest = new Solver({ id: "honest", program });
  const ch = honest.train();
  const fullMs = performance.now() - t0; // one full execution of the job: what a referee without Verde re-runs
  const cheat = new Solver({ id: "cheat", program, behaviour: wrongOp({ program, step, pick: 0.5 }) });
  const cc = cheat.train();
  const env = new Environment();
  const referee = { ms: 0 };
  const t1 = performance.now();
  const game = env.process(
    disputeGame(
      { env, transport: simpleTransport(env), referee: "referee", program: timed(program, referee), initialHash: stateHash(program.stateTensors(program.initialState())), interval: 1, jobId: label, clockUs: 3.6e9 },
      [honest, cheat],
      [ch, cc],
    ),
  );
  env.run(game);
  const disputeMs = performance.now() - t1;
  const d = game.value;
  const nodes = program.graph(0).nodes.length;
  const extra = { job: label, steps: program.steps, nodes, winner: d.winner, reason: d.reason };
  line("rounds", d.rounds, "rounds", { ...extra, bound: roundBound(program.steps, nodes, 1) });
  line("bytes", d.bytes, "bytes", extra);
  line("referee_flops_vs_full", d.refereeFlops / runFlops(program), "ratio", { ...extra, refereeFlops: d.refereeFlops, fullFlops: runFlops(program) });
  line("referee_time_vs_full", referee.ms / fullMs, "ratio", { ...extra, refereeMs: referee.ms, fullMs });
  line("dispute_time_vs_full", disputeMs / fullMs, "ratio", { ...extra, disputeMs, fullMs, note: "both parties' answers (incl. re-running the disputed step) + referee" });
}

for (const steps of quick ? [100, 1000] : [100, 1000, 10_000]) bench(`tiny-mlp-T${steps}`, new TinyMlpProgram({ steps, seed: 1 }), Math.floor(steps * 0.61));
for (const steps of quick ? [200] : [200, 1000]) bench(`mlp-adamw-T${steps}`, mlpJobProgram({ steps, seed: 1 }), Math.floor(steps * 0.61));
