// How many false disputes do non-reproducible kernels cause, and whom does the referee slash?
// verde-nonrepro (honest providers on their hardware's kernel: RepOps, repops-fma, repops-tree,
// tfjs-cpu, tfjs-wasm) over seeds.
//   node_modules/.bin/bun notebooks/nonrepro.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const W = "workload";
export const question: SpreadQuestion = {
  slug: "nonrepro",
  question: "How many false disputes do non-reproducible kernels cause, and whom does the referee slash?",
  seeds: 8,
  sweeps: [
    {
      scenario: "scenarios/verde-nonrepro.yaml",
      metrics: {
        "jobs of two different kernels": `${W}.mixedPairs.jobs`,
        "their lowest dispute rate over pairs": `${W}.mixedPairs.minDisputeRate`,
        "jobs of one kernel twice (incl. RepOps)": `${W}.sameBackendPairs.jobs + ${W}.reproduciblePairs.jobs`,
        "their disputes": `${W}.sameBackendPairs.disputed + ${W}.reproduciblePairs.disputed`,
        "honest RepOps providers slashed": `${W}.honestReproducibleSlashed`,
        "honest providers slashed": `${W}.honestSlashed`,
        "false-dispute rate of honest-only jobs": `${W}.falseDisputeRate`,
      },
    },
  ],
  answer: (s) => `Two honest providers on different kernels disputed in every job: the lowest dispute rate over the mixed pairs is ${s.quote("their lowest dispute rate over pairs")} (${s.quote("jobs of two different kernels")} such jobs of 32 steps per run); one kernel twice (RepOps or one deterministic non-RepOps kernel): ${s.quote("their disputes")} disputes in ${s.quote("jobs of one kernel twice (incl. RepOps)")} jobs. The referee recomputes on RepOps, so honest RepOps providers slashed: ${s.quote("honest RepOps providers slashed")}; honest providers on other kernels are slashed whenever they meet RepOps, or both are when neither matches it: ${s.quote("honest providers slashed")} per run; false-dispute rate of honest-only jobs ${s.quote("false-dispute rate of honest-only jobs")}.`,
};

if (import.meta.main) await spreadMain(question);
