// Network sharing benchmark: JSON lines {"bench":"network","metric":..,"value":..,"unit":..}.
// A closed loop keeps K transfers in flight between random pairs of nodes on mixed access links
// (fiber / cable / DSL); each completion starts the next. Flows completed per wall second under
// max-min (progressive filling per touched component, DESIGN: World) and under equal-share, and
// their ratio, measured interleaved in the same run so machine load hits both alike.
//   bun bench/network.ts [--quick]
import { Environment, RngStreams } from "../core/des/index.ts";
import { HARDWARE } from "../core/world/hardware.ts";
import { LINKS } from "../core/world/links.ts";
import { Network, type Sharing } from "../core/world/network.ts";
import { WorldNode } from "../core/world/node.ts";

const quick = process.argv.includes("--quick");
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: "network", metric, value: Number(value.toPrecision(4)), unit, ...extra }));

const MIX = [LINKS.fiber, LINKS.cable, LINKS.cable, LINKS.dsl];

/** Completed flows per wall second with `concurrent` flows kept in flight over `nodes` nodes. */
function flowsPerSecond(sharing: Sharing, nodes: number, concurrent: number, total: number): { rate: number; simulatedS: number } {
  const env = new Environment();
  const list = Array.from({ length: nodes }, (_, i) => new WorldNode(i, 0, "us-east", 0, HARDWARE.h100, MIX[i % MIX.length], 1, false));
  const net = new Network(env, new RngStreams(1), list, { loss: 0, jitter: 0, sharing });
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff);
  let started = 0;
  let done = 0;
  const start = (): void => {
    started++;
    const from = next() % nodes;
    const to = (from + 1 + (next() % (nodes - 1))) % nodes;
    net.send(from, to, 100_000 + (next() % 10_000_000)).addCallback(onDone);
  };
  const onDone = (): void => {
    done++;
    if (started < total) start();
  };
  for (let i = 0; i < concurrent; i++) start();
  const t0 = performance.now();
  // stop once `total` flows have started and `total - concurrent` have completed
  while (done < total - concurrent && env.peek() !== Infinity) env.step();
  const wall = (performance.now() - t0) / 1000;
  return { rate: done / wall, simulatedS: env.now / 1e6 };
}

// Flows kept in flight; flows/s counts the completions after the first `concurrent` starts.
const CASES = [
  // 0.1 flow per node: components of a few flows
  { name: "sparse", nodes: 100_000, concurrent: 10_000, completions: quick ? 5_000 : 20_000 },
  // one flow per node: flows on slow links pile up and join most flows into one component
  { name: "one_per_node", nodes: 10_000, concurrent: 10_000, completions: quick ? 100 : 400 },
  // ten flows per node: one giant component (the worst case for max-min)
  { name: "dense", nodes: 1_000, concurrent: 10_000, completions: quick ? 50 : 200 },
];
for (const c of CASES) {
  let mm = 0;
  let eq = 0;
  let sim = { mm: 0, eq: 0 };
  for (let r = 0; r < (quick ? 1 : 2); r++) {
    const a = flowsPerSecond("max-min", c.nodes, c.concurrent, c.concurrent + c.completions);
    const b = flowsPerSecond("equal-share", c.nodes, c.concurrent, c.concurrent + c.completions);
    mm = Math.max(mm, a.rate);
    eq = Math.max(eq, b.rate);
    sim = { mm: a.simulatedS, eq: b.simulatedS };
  }
  const extra = { nodes: c.nodes, concurrent: c.concurrent, completions: c.completions };
  emit(`${c.name}_maxmin_flows_per_s`, mm, "flows/s", { ...extra, simulated_s: Number(sim.mm.toPrecision(4)) });
  emit(`${c.name}_equal_share_flows_per_s`, eq, "flows/s", { ...extra, simulated_s: Number(sim.eq.toPrecision(4)) });
  emit(`${c.name}_maxmin_vs_equal_share`, mm / eq, "ratio", extra);
}
