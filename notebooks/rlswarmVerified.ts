// RL Swarm steps as protocol jobs (REFERENCE §7 `verify`): with one poisoner in 8 nodes whose
// own GRPO step is a poisoned update, how many of its step jobs are caught and slashed, how many
// honest steps are wrongly challenged, and how many of its steps does it get through before it is
// out of the market, at re-execution rates 1 and 0.25? rlswarm-verified (20 rounds) over seeds.
//   node_modules/.bin/bun notebooks/rlswarmVerified.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const RATES = [1, 0.25] as const;

export const question: SpreadQuestion = {
  slug: "rlswarm-verified",
  question: "RL Swarm GRPO steps as verifiable jobs: are a poisoner's updates caught and slashed, and are honest steps ever challenged (re-execution rate 1 and 0.25)?",
  seeds: 8,
  sweeps: RATES.map((rate) => ({
    scenario: "scenarios/rlswarm-verified.yaml",
    sets: [`workload.verify.rate=${rate}`],
    metrics: {
      [`rate ${rate}: poisoner step jobs`]: "workload.jobs.poison.jobs",
      [`rate ${rate}: poisoner jobs rejected`]: "workload.jobs.poison.rejected",
      [`rate ${rate}: poisoner jobs paid`]: "workload.jobs.poison.paid",
      [`rate ${rate}: poisoner GSN slashed`]: "workload.jobs.slashedGsn.poison",
      [`rate ${rate}: honest steps challenged`]: "workload.jobs.honest.challenged",
      [`rate ${rate}: honest GSN slashed`]: "workload.jobs.slashedGsn.honest",
    },
  })),
  answer: (s) => `One poisoner in 8 nodes, 20 rounds (stake 2,000 GSN, 500 slashed per lost game, minimum solver stake 1,000):
- re-execution rate 1: the poisoner posts ${s.quote("rate 1: poisoner step jobs")} step jobs, ${s.quote("rate 1: poisoner jobs rejected")} rejected, ${s.quote("rate 1: poisoner jobs paid")} paid; ${s.quote("rate 1: poisoner GSN slashed")} GSN slashed; honest steps challenged ${s.quote("rate 1: honest steps challenged")}, honest GSN slashed ${s.quote("rate 1: honest GSN slashed")}
- rate 0.25: ${s.quote("rate 0.25: poisoner step jobs")} poisoner jobs, ${s.quote("rate 0.25: poisoner jobs rejected")} rejected, ${s.quote("rate 0.25: poisoner jobs paid")} paid (unchecked poisoned updates are paid); ${s.quote("rate 0.25: poisoner GSN slashed")} GSN slashed; honest steps challenged ${s.quote("rate 0.25: honest steps challenged")}

A rejected job is one whose verifier re-executed the step, found another result hash, challenged and won the dispute game; the poisoner's steps after its stake falls below the solver minimum are its own (no job, no pay).`,
};

if (import.meta.main) await spreadMain(question);
