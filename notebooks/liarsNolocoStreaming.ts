// Do the protocol's guarantees carry over to NoLoCo and Streaming DiLoCo? train-liars-noloco-streaming
// (20 workers, one poisoner, every contribution a protocol job) over seeds: held-out loss of each
// arm against its algorithm's honest arm, lies that got through, verifier compute, wall time.
//   node_modules/.bin/bun notebooks/liarsNolocoStreaming.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const arms = (a: string, label: string): Record<string, string> => ({
  [`${label} unverified / honest loss`]: `workload.${a}unverified.heldOutLoss / workload.${a}honest.heldOutLoss`,
  [`${label} p=0.25 / honest loss`]: `workload.${a}verified25.heldOutLoss / workload.${a}honest.heldOutLoss`,
  [`${label} p=1 / honest loss`]: `workload.${a}verified100.heldOutLoss / workload.${a}honest.heldOutLoss`,
  [`${label} p=1 wrong contributions in`]: `workload.${a}verified100.protocol.lies.missed`,
  [`${label} p=1 wall time / honest`]: `workload.${a}verified100.virtualSeconds / workload.${a}honest.virtualSeconds`,
  [`${label} p=1 verifier compute / training`]: `workload.${a}verified100.protocol.verifierComputeShare`,
  [`${label} honest parties that lost a dispute`]: `workload.${a}verified25.protocol.disputes.honestLost + workload.${a}verified100.protocol.disputes.honestLost`,
});

export const question: SpreadQuestion = {
  slug: "liars-noloco-streaming",
  question: "Do the protocol's guarantees against a lying worker carry over to NoLoCo and Streaming DiLoCo?",
  seeds: 8,
  sweeps: [{ scenario: "scenarios/train-liars-noloco-streaming.yaml", metrics: { ...arms("n", "NoLoCo"), ...arms("s", "Streaming") } }],
  answer: (s) =>
    ["NoLoCo", "Streaming"]
      .map((l) => `${l}: one poisoner in 20 unverified ${s.change(`${l} unverified / honest loss`)} held-out loss; every contribution re-executed ${s.change(`${l} p=1 / honest loss`)} (wrong contributions in ${s.quote(`${l} p=1 wrong contributions in`)}), at ${s.quote(`${l} p=1 verifier compute / training`)} of the training compute and ${s.change(`${l} p=1 wall time / honest`)} wall time; a quarter re-executed ${s.change(`${l} p=0.25 / honest loss`)}; honest parties that lost a dispute ${s.quote(`${l} honest parties that lost a dispute`)}.`)
      .join("\n"),
};

if (import.meta.main) await spreadMain(question);
