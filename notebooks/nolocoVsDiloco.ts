// Does NoLoCo converge as fast as DiLoCo, and if not, is it the pairing or the outer optimizer?
// Spread over seeds of train-noloco-vs-diloco (each seed holds 3 replicates; losses are summed
// over them, so each seed's ratio is the ratio of the replicates' mean losses).
//   node_modules/.bin/bun notebooks/nolocoVsDiloco.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

/** An arm's held-out loss summed over the scenario's 3 replicates. */
const loss = (arm: string) => `(workload.${arm}_1.heldOutLoss + workload.${arm}_2.heldOutLoss + workload.${arm}_3.heldOutLoss)`;
const ratio = (a: string, b: string) => `${loss(a)} / ${loss(b)}`;

export const question: SpreadQuestion = {
  slug: "noloco-vs-diloco",
  question: "Does NoLoCo converge as fast as DiLoCo per step, and what explains the gap?",
  sweeps: [{
    scenario: "scenarios/train-noloco-vs-diloco.yaml",
    metrics: {
      "NoLoCo / DiLoCo loss": ratio("noloco", "diloco"),
      "NoLoCo pairs / one group of all 8": ratio("noloco", "noloco_all"),
      "NoLoCo all 8 / heavy-ball DiLoCo": ratio("noloco_all", "diloco_hb5"),
      "heavy-ball 0.5 / Nesterov 0.9 DiLoCo": ratio("diloco_hb5", "diloco"),
      "NoLoCo outer lr 1.4 / DiLoCo loss": ratio("noloco_lr14", "diloco"),
      "NoLoCo / reference DiLoCo (heavy-ball 0.7/0.3)": ratio("noloco", "diloco_ref"),
      "NoLoCo / reference DiLoCo (heavy-ball 0.7/0.9)": ratio("noloco", "diloco_ref9"),
      "reference DiLoCo 0.7/0.3 / paper DiLoCo": ratio("diloco_ref", "diloco"),
      "NoLoCo / DiLoCo virtual time": "workload.noloco_1.virtualSeconds / workload.diloco_1.virtualSeconds",
      "NoLoCo all 8 / DiLoCo virtual time": "workload.noloco_all_1.virtualSeconds / workload.diloco_1.virtualSeconds",
      "NoLoCo star / DiLoCo virtual time": "workload.noloco_star_1.virtualSeconds / workload.diloco_1.virtualSeconds",
      "NoLoCo all 8 star / DiLoCo virtual time": "workload.noloco_all_star_1.virtualSeconds / workload.diloco_1.virtualSeconds",
      "NoLoCo star / all-to-all loss": "workload.noloco_star_1.heldOutLoss / workload.noloco_1.heldOutLoss",
    },
  }],
  answer: (s) => `Published NoLoCo (outer lr 0.7, momentum 0.5) ends ${s.change("NoLoCo / DiLoCo loss")} against DiLoCo (behind on ${s.seedsWhere("NoLoCo / DiLoCo loss", (v) => v > 1)}).
Not the gossip: pairs vs one group of all 8 differ by ${s.change("NoLoCo pairs / one group of all 8", 2)}, and one group of all 8 equals heavy-ball DiLoCo (${s.change("NoLoCo all 8 / heavy-ball DiLoCo", 3)}).
The outer optimizer: DiLoCo with heavy-ball momentum 0.5 instead of Nesterov 0.9 is ${s.change("heavy-ball 0.5 / Nesterov 0.9 DiLoCo")}.
With outer lr 1.4 NoLoCo ends ${s.change("NoLoCo outer lr 1.4 / DiLoCo loss")} against DiLoCo (ahead on ${s.seedsWhere("NoLoCo outer lr 1.4 / DiLoCo loss", (v) => v < 1)}).
Against gensyn-ai/noloco's own DiLoCo baseline (heavy-ball, no Nesterov, outer lr 0.7, momentum 0.3 as in its C4 configs), published NoLoCo ends ${s.change("NoLoCo / reference DiLoCo (heavy-ball 0.7/0.3)")} (ahead on ${s.seedsWhere("NoLoCo / reference DiLoCo (heavy-ball 0.7/0.3)", (v) => v < 1)}); against the same baseline with momentum 0.9 (its other configs) ${s.change("NoLoCo / reference DiLoCo (heavy-ball 0.7/0.9)")} (ahead on ${s.seedsWhere("NoLoCo / reference DiLoCo (heavy-ball 0.7/0.9)", (v) => v < 1)}). That reference baseline is itself ${s.change("reference DiLoCo 0.7/0.3 / paper DiLoCo")} against the DiLoCo paper's Nesterov 0.7/0.9, so which DiLoCo a claim is measured against decides its sign.
Per second, NoLoCo pairs take ${s.quote("NoLoCo / DiLoCo virtual time", "x")} DiLoCo's time for the 1,000 steps; one all-to-all group of 8 takes ${s.quote("NoLoCo all 8 / DiLoCo virtual time", "x")}.
Exchanging as gensyn-ai/noloco does, through the group's first member (star: 2 payloads in, 2 means out), pairs take ${s.quote("NoLoCo star / DiLoCo virtual time", "x")} and one group of 8 ${s.quote("NoLoCo all 8 star / DiLoCo virtual time", "x")} DiLoCo's time, at the same loss (star / all-to-all ${s.quote("NoLoCo star / all-to-all loss", "", 6)}).`,
};

if (import.meta.main) await spreadMain(question);
