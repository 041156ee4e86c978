// Does DiLoCo match DDP while sending far fewer bytes? (REFERENCE §10 claim 1; also NoLoCo and
// Streaming DiLoCo on the same 8 GPUs, with Streaming's format, mixing and fragment options.) Spread over seeds of train-ddp-diloco-noloco.
//   node_modules/.bin/bun notebooks/dilocoVsDdp.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const arm = (a: string, m: string) => `workload.${a}.${m}`;
export const question: SpreadQuestion = {
  slug: "diloco-vs-ddp",
  question: "Does DiLoCo (H=50) match DDP's held-out loss while sending far fewer bytes?",
  sweeps: [{
    scenario: "scenarios/train-ddp-diloco-noloco.yaml",
    metrics: {
      "DDP held-out loss": arm("ddp", "heldOutLoss"),
      "DiLoCo held-out loss": arm("diloco", "heldOutLoss"),
      "DiLoCo / DDP loss": `${arm("diloco", "heldOutLoss")} / ${arm("ddp", "heldOutLoss")}`,
      "DDP / DiLoCo bytes": `${arm("ddp", "bytesSent")} / ${arm("diloco", "bytesSent")}`,
      "DDP / DiLoCo virtual time": `${arm("ddp", "virtualSeconds")} / ${arm("diloco", "virtualSeconds")}`,
      "Streaming / DiLoCo loss": `${arm("streaming", "heldOutLoss")} / ${arm("diloco", "heldOutLoss")}`,
      "DiLoCo / Streaming peak sync bytes per node": `${arm("diloco", "peakSyncBytesPerNode")} / ${arm("streaming", "peakSyncBytesPerNode")}`,
      "NoLoCo / DiLoCo loss": `${arm("noloco", "heldOutLoss")} / ${arm("diloco", "heldOutLoss")}`,
      "Streaming E3M0 / INT4 loss": `${arm("streaming", "heldOutLoss")} / ${arm("streaming_int4", "heldOutLoss")}`,
      "Streaming mix 0.5 / mix 0 loss": `${arm("streaming_mix5", "heldOutLoss")} / ${arm("streaming", "heldOutLoss")}`,
      "Streaming strided / contiguous fragments loss": `${arm("streaming_strided", "heldOutLoss")} / ${arm("streaming", "heldOutLoss")}`,
      "DiLoCo seconds to target loss": arm("diloco", "secondsToTarget"),
      "NoLoCo seconds to target loss": arm("noloco", "secondsToTarget"),
      "NoLoCo / DiLoCo seconds to target loss": `${arm("noloco", "secondsToTarget")} / ${arm("diloco", "secondsToTarget")}`,
    },
  }],
  answer: (s) => `DiLoCo's held-out loss is ${s.change("DiLoCo / DDP loss")} against DDP's (below DDP on ${s.seedsWhere("DiLoCo / DDP loss", (v) => v < 1)}), while DDP sends ${s.quote("DDP / DiLoCo bytes", "x")} the bytes and takes ${s.quote("DDP / DiLoCo virtual time", "x")} the virtual time.
Streaming DiLoCo (4 fragments, 4-bit FP4 E3M0 outer gradients) cuts the peak bytes per sync ${s.quote("DiLoCo / Streaming peak sync bytes per node", "x")} at ${s.change("Streaming / DiLoCo loss")} loss against DiLoCo.
Its options as the paper sets them: E3M0 against uniform INT4 (same bytes) ${s.change("Streaming E3M0 / INT4 loss")} (better on ${s.seedsWhere("Streaming E3M0 / INT4 loss", (v) => v < 1)}); merging with mixing alpha 0.5 instead of taking the global fragment (alpha 0) ${s.change("Streaming mix 0.5 / mix 0 loss")} (better on ${s.seedsWhere("Streaming mix 0.5 / mix 0 loss", (v) => v < 1)}); fragments of strided 64-value blocks instead of contiguous slices ${s.change("Streaming strided / contiguous fragments loss")} (better on ${s.seedsWhere("Streaming strided / contiguous fragments loss", (v) => v < 1)}).
NoLoCo (published outer lr 0.7, momentum 0.5) ends ${s.change("NoLoCo / DiLoCo loss")} against DiLoCo and reaches the target loss 0.9 on ${s.seedsWhere("NoLoCo seconds to target loss", () => true)} (DiLoCo: ${s.seedsWhere("DiLoCo seconds to target loss", () => true)}), sooner than DiLoCo on ${s.seedsWhere("NoLoCo / DiLoCo seconds to target loss", (v) => v < 1)}.`,
};

if (import.meta.main) await spreadMain(question);
