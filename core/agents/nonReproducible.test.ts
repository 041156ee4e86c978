// Honest providers on non-reproducible backends in real Verde disputes (REFERENCE §2, §3): the
// referee recomputes the one disputed op on RepOps and rules for the party whose output matches
// it bit for bit. An honest party whose kernel rounds differently therefore loses and is slashed;
// the honest RepOps party always wins. Between two non-RepOps parties, the one whose kernel
// happens to coincide with RepOps on the disputed op wins.
import { describe, expect, test } from "bun:test";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Backend } from "../ml/backend.ts";
import { createRepopsVariantBackend } from "../ml/backends/repopsVariant.ts";
import { createTfjsBackend } from "../ml/backends/tfjs.ts";
import type { GraphProgram } from "../verde/graphProgram.ts";
import { mlpJobProgram } from "../verde/mlpJob.ts";
import { HONEST } from "../verde/solver.ts";
import { runJob } from "../verde/testing.ts";
import { nonReproducible } from "./nonReproducible.ts";

const config = { steps: 16, seed: 5 };
const reference = mlpJobProgram(config);
const bits = (x: Float32Array) => [...new Uint32Array(x.buffer, x.byteOffset, x.length)];
// The test plays the application's part: it locates tfjs-wasm's binaries (core/ does no I/O).
const wasmDir = `${dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"))}/dist/`;

/** Honest provider `id` on `backend` (repops: the reference program itself). */
const provider = (id: string, backend: Backend | null) =>
  backend === null ? { id, behaviour: HONEST } : { id, behaviour: nonReproducible(backend.name), program: mlpJobProgram(config, backend) };

/**
 * The evidence behind a ruling on node `node` of step `step`: both parties' outputs of that node
 * from the agreed state, and the referee's RepOps recomputation from the (agreed) inputs.
 */
function evidence(a: GraphProgram, b: GraphProgram, step: number, node: number) {
  let state = a.initialState();
  for (let i = 0; i < step; i++) state = a.step(state, i); // both parties agree on this state
  const ta = a.traceStep(state, step), tb = b.traceStep(state, step);
  const inputs = reference.graph(step).nodes[node].inputs;
  const agreed = inputs.every((j) => bits(ta.outputs[j]).join() === bits(tb.outputs[j]).join());
  const referee = reference.recomputeNode(step, node, inputs.map((j) => ta.outputs[j]));
  const same = (x: Float32Array) => bits(x).join() === bits(referee).join();
  let differ = 0;
  for (let i = 0; i < referee.length; i++) if (ta.outputs[node][i] !== tb.outputs[node][i]) differ++;
  return { agreed, aMatchesReferee: same(ta.outputs[node]), bMatchesReferee: same(tb.outputs[node]), differ, size: referee.length };
}

describe("an honest tfjs-cpu solver challenged by an honest repops verifier", () => {
  test("the tfjs-cpu solver loses: its first matmul rounds differently from RepOps, which the referee recomputes", async () => {
    const tfjs = await createTfjsBackend("cpu", {});
    const job = runJob(reference, [provider("solver-tfjs-cpu", tfjs), provider("verifier-repops", null)]);
    expect(job.disputed).toBe(true);
    const d = job.disputes[0];
    expect(d.parties).toEqual(["solver-tfjs-cpu", "verifier-repops"]);
    expect(d).toMatchObject({ winner: "verifier-repops", losers: ["solver-tfjs-cpu"], reason: "recomputed-op", step: 0, node: { index: 4, op: "matmul" }, refereeOps: 1 });
    expect(job.slashed).toEqual(["solver-tfjs-cpu"]);
    expect(job.accepted).toEqual(["verifier-repops"]);
    // The real values: same inputs, outputs that differ in some elements; RepOps' recomputation is the verifier's.
    const e = evidence(mlpJobProgram(config, tfjs), reference, 0, 4);
    console.log(`tfjs-cpu vs repops, step 0 node 4 (matmul): ${e.differ}/${e.size} elements differ`);
    expect(e).toMatchObject({ agreed: true, aMatchesReferee: false, bMatchesReferee: true });
    expect(e.differ).toBeGreaterThan(0);
  });
});

describe("a verifier on a non-reproducible backend challenges an honest repops solver", () => {
  for (const name of ["tfjs-cpu", "tfjs-wasm", "repops-fma", "repops-tree"]) {
    test(`${name} verifier: the repops solver wins, the verifier is slashed`, async () => {
      const be = name.startsWith("tfjs-") ? await createTfjsBackend(name === "tfjs-cpu" ? "cpu" : "wasm", { wasmDir }) : createRepopsVariantBackend(name === "repops-fma" ? "fma" : "tree");
      const job = runJob(reference, [provider("solver-repops", null), provider(`verifier-${name}`, be)]);
      expect(job.disputed).toBe(true);
      const d = job.disputes[0];
      expect(d).toMatchObject({ winner: "solver-repops", losers: [`verifier-${name}`], reason: "recomputed-op" });
      expect(job.accepted).toEqual(["solver-repops"]);
      const e = evidence(reference, mlpJobProgram(config, be), d.step!, d.node!.index);
      console.log(`repops vs ${name}: step ${d.step} node ${d.node!.index} (${d.node!.op}): ${e.differ}/${e.size} elements differ`);
      expect(e).toMatchObject({ agreed: true, aMatchesReferee: true, bMatchesReferee: false });
    });
  }
});

describe("two honest non-RepOps parties: the referee rules for whichever kernel matches RepOps on the disputed op", () => {
  test("tfjs-wasm (wasm SIMD matmul: no FMA, k ascending, as RepOps) beats repops-fma; repops-fma vs repops-tree: both lose", async () => {
    const wasm = await createTfjsBackend("wasm", { wasmDir });
    const fma = createRepopsVariantBackend("fma"), tree = createRepopsVariantBackend("tree");
    const a = runJob(reference, [provider("fma", fma), provider("wasm", wasm)]);
    expect(a.disputes[0]).toMatchObject({ winner: "wasm", losers: ["fma"], node: { op: "matmul" } });
    const b = runJob(reference, [provider("fma", fma), provider("tree", tree)]);
    expect(b.disputes[0]).toMatchObject({ winner: null, node: { op: "matmul" } });
    expect(b.slashed).toEqual(["fma", "tree"]);
    expect(b.result).toBeNull();
    // tfjs-wasm is still not RepOps: against a repops party it loses later in the step (softmax's exp).
    const c = runJob(reference, [provider("repops", null), provider("wasm", wasm)]);
    expect(c.disputes[0]).toMatchObject({ winner: "repops", step: 0, node: { op: "softmaxXentGrad" } });
  });
});

describe("two honest providers on the same non-reproducible backend, separate instances", () => {
  test("they agree bit for bit (deterministic kernels): no dispute, yet their result is not RepOps'", async () => {
    const repopsResult = runJob(reference, [provider("r1", null), provider("r2", null)]).result;
    const pairs: [Backend, Backend][] = [
      [await createTfjsBackend("cpu", {}), await createTfjsBackend("cpu", {})],
      [createRepopsVariantBackend("fma"), createRepopsVariantBackend("fma")],
      [createRepopsVariantBackend("tree"), createRepopsVariantBackend("tree")],
    ];
    for (const [one, two] of pairs) {
      expect(one).not.toBe(two);
      const job = runJob(reference, [provider("p1", one), provider("p2", two)]);
      expect({ backend: one.name, disputed: job.disputed, accepted: job.accepted }).toEqual({ backend: one.name, disputed: false, accepted: ["p1", "p2"] });
      expect(job.result).not.toBe(repopsResult);
    }
  });
});
