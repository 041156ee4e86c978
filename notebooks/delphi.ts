// Delphi-style markets settled by a verified AI judge (REFERENCE §9), over seeds: how burn per day
// moves with the trading fee and volume; how many wrong resolutions reach payout at verification
// rate p (vs 0 at p = 1) and what lying judges cost traders; how the judge's accuracy (evidence
// noise) and the traders' signal noise move the price of the true outcome before resolution.
//   node_modules/.bin/bun notebooks/delphi.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const W = "workload";
const honestJudges = "workload.judge.lyingRate=0";
export const question: SpreadQuestion = {
  slug: "delphi",
  question: "What do AI-settled prediction markets burn, and what does verifying the judge buy?",
  seeds: 8,
  sweeps: [
    ...[100, 200, 500].map((fee) => ({
      scenario: "scenarios/delphi-verified.yaml",
      sets: [honestJudges, `workload.tradingFeeBps=${fee}`],
      metrics: {
        [`fee ${fee} bps: burn per day (GSN)`]: `${W}.burnPerDayGsn`,
        [`fee ${fee} bps: volume (USD)`]: `${W}.volumeUsd`,
        [`fee ${fee} bps: protocol fee to the vault (USD)`]: `${W}.fees.toVaultUsd`,
      },
    })),
    ...[0, 0.3, 1].map((rate) => ({
      scenario: "scenarios/delphi-sampled.yaml",
      sets: [`workload.judge.verificationRate=${rate}`],
      metrics: {
        [`p=${rate}: lying judges`]: `${W}.judge.lies`,
        [`p=${rate}: wrong resolutions caused by a lie, of 8 markets`]: `${W}.wrongByLie`,
        [`p=${rate}: trader payout lost to lies (USD)`]: `${W}.lossToLiesUsd`,
        [`p=${rate}: GSN slashed from judges`]: `${W}.judge.slashedGsn`,
      },
    })),
    ...[
      ["evidence noise 0.5", "workload.judge.evidenceNoise=0.5"],
      ["evidence noise 4", "workload.judge.evidenceNoise=4"],
      ["signal noise 0.5", "workload.signalNoise=0.5"],
      ["signal noise 2", "workload.signalNoise=2"],
    ].map(([label, set]) => ({
      scenario: "scenarios/delphi-verified.yaml",
      sets: [honestJudges, set],
      metrics: {
        [`${label}: judge accuracy on calibration cases`]: `${W}.judge.calibratedAccuracy`,
        [`${label}: price of the true outcome at close`]: `${W}.truePriceAtClose`,
      },
    })),
  ],
  answer: (s) => `Burn per day with honest judges, 4 markets, 20 traders: ${s.quote("fee 100 bps: burn per day (GSN)")} GSN at a 1% fee, ${s.quote("fee 200 bps: burn per day (GSN)")} at 2%, ${s.quote("fee 500 bps: burn per day (GSN)")} at 5%; volume ${s.quote("fee 100 bps: volume (USD)", " USD")}, ${s.quote("fee 200 bps: volume (USD)", " USD")}, ${s.quote("fee 500 bps: volume (USD)", " USD")} (traders need a larger edge to trade at a higher fee). The protocol fee is 0.5% of the trading fee, so the vault receives ${s.quote("fee 200 bps: protocol fee to the vault (USD)", " USD")} at 2%.
Judges lie with probability 0.5, one verifier re-executes each judge job with probability p: wrong resolutions caused by a lie (of 8 markets) ${s.quote("p=0: wrong resolutions caused by a lie, of 8 markets")} at p = 0, ${s.quote("p=0.3: wrong resolutions caused by a lie, of 8 markets")} at p = 0.3, ${s.quote("p=1: wrong resolutions caused by a lie, of 8 markets")} at p = 1 (zero on ${s.seedsWhere("p=1: wrong resolutions caused by a lie, of 8 markets", (v) => v === 0)}); payout lost by holders of the true outcome ${s.quote("p=0: trader payout lost to lies (USD)", " USD")} at p = 0, ${s.quote("p=0.3: trader payout lost to lies (USD)", " USD")} at p = 0.3, ${s.quote("p=1: trader payout lost to lies (USD)", " USD")} at p = 1; judges slashed ${s.quote("p=1: GSN slashed from judges", " GSN")} at p = 1.
Price of the true outcome just before resolution: ${s.quote("evidence noise 0.5: price of the true outcome at close")} with a judge of calibrated accuracy ${s.quote("evidence noise 0.5: judge accuracy on calibration cases")} (evidence noise 0.5) vs ${s.quote("evidence noise 4: price of the true outcome at close")} with accuracy ${s.quote("evidence noise 4: judge accuracy on calibration cases")} (noise 4); traders' signal noise 0.5: ${s.quote("signal noise 0.5: price of the true outcome at close")}, 2: ${s.quote("signal noise 2: price of the true outcome at close")}.`,
};

if (import.meta.main) await spreadMain(question);
