// What happens to DiLoCo when 30% of the nodes are on home broadband and 5% of the workers lie,
// and how much verification undoes it? train-diloco-liars (20 workers, one poisoner, every
// contribution a protocol job) over seeds: held-out loss of each arm relative to the honest arm,
// lies that got through, the verifiers' compute.
//   node_modules/.bin/bun notebooks/dilocoLiars.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const W = "workload";
export const question: SpreadQuestion = {
  slug: "diloco-liars",
  question: "What happens to DiLoCo when 30% of nodes are on home broadband and 5% of workers lie?",
  seeds: 8,
  sweeps: [
    {
      scenario: "scenarios/train-diloco-liars.yaml",
      metrics: {
        "unverified / honest held-out loss": `${W}.unverified.heldOutLoss / ${W}.honest.heldOutLoss`,
        "p=0.25 / honest held-out loss": `${W}.verified25.heldOutLoss / ${W}.honest.heldOutLoss`,
        "p=1 / honest held-out loss": `${W}.verified100.heldOutLoss / ${W}.honest.heldOutLoss`,
        "p=0.25: wrong contributions that entered the all-reduce": `${W}.verified25.protocol.lies.missed`,
        "p=1: wrong contributions that entered the all-reduce": `${W}.verified100.protocol.lies.missed`,
        "p=0.25: verifier compute / training compute": `${W}.verified25.protocol.verifierComputeShare`,
        "p=1: verifier compute / training compute": `${W}.verified100.protocol.verifierComputeShare`,
        "p=1: wall time / honest": `${W}.verified100.virtualSeconds / ${W}.honest.virtualSeconds`,
        "honest parties that lost a dispute": `${W}.verified25.protocol.disputes.honestLost + ${W}.verified100.protocol.disputes.honestLost`,
      },
    },
  ],
  answer: (s) => `One poisoner in 20 (each update reversed and scaled by 10), unverified: held-out loss ${s.change("unverified / honest held-out loss")} vs no liars.
Every contribution re-executed (p = 1): ${s.change("p=1 / honest held-out loss")}; wrong contributions that got in ${s.quote("p=1: wrong contributions that entered the all-reduce")}; verifier compute ${s.quote("p=1: verifier compute / training compute")} of training; wall time ${s.change("p=1: wall time / honest")}.
A quarter re-executed (p = 0.25): ${s.change("p=0.25 / honest held-out loss")}, with ${s.quote("p=0.25: wrong contributions that entered the all-reduce")} wrong contributions in before the catch, for ${s.quote("p=0.25: verifier compute / training compute")} of the training compute.
Honest parties that lost a dispute: ${s.quote("honest parties that lost a dispute")}.`,
};

if (import.meta.main) await spreadMain(question);
