// What do label-skewed shards, home broadband and churn cost DDP and DiLoCo? Spread over seeds
// of train-noniid, train-home-broadband and train-churn.
//   node_modules/.bin/bun notebooks/nonIidBroadbandChurn.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const w = (arm: string, m: string) => `workload.${arm}.${m}`;
const over = (a: string, b: string, m: string) => `${w(a, m)} / ${w(b, m)}`;

export const question: SpreadQuestion = {
  slug: "noniid-broadband-churn",
  question: "What do non-iid shards, home broadband and churn cost DDP and DiLoCo?",
  sweeps: [
    {
      scenario: "scenarios/train-noniid.yaml",
      metrics: {
        "iid: DiLoCo / DDP loss": over("diloco_iid", "ddp_iid", "heldOutLoss"),
        "alpha 1: DiLoCo / DDP loss": over("diloco_mild", "ddp_mild", "heldOutLoss"),
        "alpha 0.1: DiLoCo / DDP loss": over("diloco_noniid", "ddp_noniid", "heldOutLoss"),
        "DDP alpha 0.1 / iid loss": over("ddp_noniid", "ddp_iid", "heldOutLoss"),
      },
    },
    {
      scenario: "scenarios/train-home-broadband.yaml",
      metrics: {
        "DDP 3 cable nodes / datacenter only time": over("ddp_mixed", "ddp_dc", "virtualSeconds"),
        "DDP / DiLoCo time with cable nodes": over("ddp_mixed", "diloco_mixed", "virtualSeconds"),
        "DiLoCo waiting / deadline time": over("diloco_mixed", "diloco_deadline", "virtualSeconds"),
        "deadline: dropped contributions": w("diloco_deadline", "droppedContributions"),
        "DiLoCo deadline / waiting loss": over("diloco_deadline", "diloco_mixed", "heldOutLoss"),
      },
    },
    {
      scenario: "scenarios/train-churn.yaml",
      metrics: {
        "DiLoCo churn / stable 8 loss": over("diloco_churn", "diloco_stable", "heldOutLoss"),
        "DiLoCo churn / stable 8 time": over("diloco_churn", "diloco_stable", "virtualSeconds"),
        "NoLoCo churn / stable 8 loss": over("noloco_churn", "noloco_stable", "heldOutLoss"),
        "NoLoCo churn / stable 8 time": over("noloco_churn", "noloco_stable", "virtualSeconds"),
        "Streaming churn / stable 8 loss": over("streaming_churn", "streaming_stable", "heldOutLoss"),
        "Streaming churn / stable 8 time": over("streaming_churn", "streaming_stable", "virtualSeconds"),
        "DDP / DiLoCo time under churn": over("ddp_churn", "diloco_churn", "virtualSeconds"),
        "DiLoCo / DDP loss under churn": over("diloco_churn", "ddp_churn", "heldOutLoss"),
        "NoLoCo / DiLoCo loss under churn": over("noloco_churn", "diloco_churn", "heldOutLoss"),
        "NoLoCo / DiLoCo tokens under churn": over("noloco_churn", "diloco_churn", "tokens"),
        "DiLoCo churn: dropped contributions": w("diloco_churn", "droppedContributions"),
        "DiLoCo churn: rejoins": w("diloco_churn", "rejoins"),
      },
    },
  ],
  answer: (s) => `Non-iid shards (8 H100s, Dirichlet label skew): DiLoCo's gap to DDP is ${s.change("iid: DiLoCo / DDP loss")} iid, ${s.change("alpha 1: DiLoCo / DDP loss")} at alpha 1 and ${s.change("alpha 0.1: DiLoCo / DDP loss")} at alpha 0.1 (behind DDP on ${s.seedsWhere("alpha 0.1: DiLoCo / DDP loss", (v) => v > 1.02)} by more than 2%); strong skew also costs DDP itself ${s.change("DDP alpha 0.1 / iid loss")} against iid.
Home broadband (3 of 10 nodes on cable): DDP takes ${s.quote("DDP 3 cable nodes / datacenter only time", "x")} the time of the 7 datacenter nodes alone and ${s.quote("DDP / DiLoCo time with cable nodes", "x")} DiLoCo's; a 1.5x-median straggler deadline makes DiLoCo ${s.quote("DiLoCo waiting / deadline time", "x")} faster (dropping ${s.quote("deadline: dropped contributions")} contributions) at ${s.change("DiLoCo deadline / waiting loss")} loss.
Churn (8 of 16 GPUs up ~5 min, down ~2 min): against the 8 stable workers alone, DiLoCo ends at ${s.change("DiLoCo churn / stable 8 loss")} loss and ${s.change("DiLoCo churn / stable 8 time")} time (lower loss on ${s.seedsWhere("DiLoCo churn / stable 8 loss", (v) => v < 1)}); NoLoCo ${s.change("NoLoCo churn / stable 8 loss")} loss, ${s.change("NoLoCo churn / stable 8 time")} time; Streaming DiLoCo ${s.change("Streaming churn / stable 8 loss")} loss, ${s.change("Streaming churn / stable 8 time")} time. DDP under the same churn takes ${s.quote("DDP / DiLoCo time under churn", "x")} DiLoCo's time; DiLoCo's loss is ${s.change("DiLoCo / DDP loss under churn")} against it. NoLoCo (no global barrier) trains ${s.change("NoLoCo / DiLoCo tokens under churn")} tokens against DiLoCo (more on ${s.seedsWhere("NoLoCo / DiLoCo tokens under churn", (v) => v > 1)}) and ends ${s.change("NoLoCo / DiLoCo loss under churn")} against it (behind on ${s.seedsWhere("NoLoCo / DiLoCo loss under churn", (v) => v > 1)}).`,
};

if (import.meta.main) await spreadMain(question);
