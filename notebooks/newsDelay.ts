// How fast does news travel across continents when home nodes churn? Spread over seeds of the
// quickstart (300 nodes, 5 regions) and of scale-10k (10,000 nodes, 8 regions).
//   node_modules/.bin/bun notebooks/newsDelay.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const gossip = (prefix: string, pair: string) => ({
  [`${prefix} availability`]: "world.availability",
  [`${prefix} heartbeat delivery rate`]: "workload.heartbeats.deliveryRate",
  [`${prefix} delivery - availability`]: "workload.heartbeats.deliveryRate - world.availability",
  [`${prefix} delay P50 (ms)`]: "workload.delayMs.overall.p50",
  [`${prefix} delay P99 (ms)`]: "workload.delayMs.overall.p99",
  [`${prefix} ${pair} delay P99 (ms)`]: `workload.delayMs.byRegionPair['${pair}'].p99`,
  [`${prefix} rumor coverage`]: "workload.rumors.meanCoverage",
});

export const question: SpreadQuestion = {
  slug: "news-delay",
  question: "How fast does news travel across continents when home nodes churn?",
  sweeps: [
    { scenario: "scenarios/quickstart.yaml", metrics: gossip("300 nodes:", "us-east->eu-west") },
    { scenario: "scenarios/scale-10k.yaml", metrics: gossip("10k nodes:", "eu-west->ap-southeast") },
  ],
  answer: (s) => `300 nodes (quickstart): availability ${s.quote("300 nodes: availability")}; heartbeats delivered ${s.quote("300 nodes: heartbeat delivery rate")} (delivery minus availability ${s.quote("300 nodes: delivery - availability", "", 2)}: lost mostly to receivers that are down); one-way delay P50 ${s.quote("300 nodes: delay P50 (ms)", " ms")}, P99 ${s.quote("300 nodes: delay P99 (ms)", " ms")}, us-east->eu-west P99 ${s.quote("300 nodes: us-east->eu-west delay P99 (ms)", " ms")}; a rumor reaches ${s.quote("300 nodes: rumor coverage")} of the nodes.
10,000 nodes (scale-10k): availability ${s.quote("10k nodes: availability")}; delay P99 ${s.quote("10k nodes: delay P99 (ms)", " ms")}, eu-west->ap-southeast P99 ${s.quote("10k nodes: eu-west->ap-southeast delay P99 (ms)", " ms")}; rumor coverage ${s.quote("10k nodes: rumor coverage")} (fanout 3 instead of 4).`,
};

if (import.meta.main) await spreadMain(question);
