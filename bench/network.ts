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

/**
 * Collective bursts: every node starts `fanout` transfers at the same instant (ring neighbours
 * i+1..i+fanout, as the steps of a ring all-reduce or a gossip fan-out do), and the next burst
 * starts when all have arrived. Under max-min the refills of one instant are one (DESIGN: World).
 */
function burstFlowsPerSecond(sharing: Sharing, nodes: number, fanout: number, bursts: number): { rate: number; simulatedS: number } {
  const env = new Environment();
  const list = Array.from({ length: nodes }, (_, i) => new WorldNode(i, 0, "us-east", 0, HARDWARE.h100, MIX[i % MIX.length], 1, false));
  const net = new Network(env, new RngStreams(1), list, { loss: 0, jitter: 0, sharing });
  let done = 0;
  const t0 = performance.now();
  env.process(
    (function* () {
      for (let b = 0; b < bursts; b++) {
        const evs = [];
        for (let i = 0; i < nodes; i++) for (let k = 1; k <= fanout; k++) evs.push(net.send(i, (i + k) % nodes, 1_000_000 + ((i * 7919 + b) % 1_000_000)));
        yield env.allOf(evs);
        done += evs.length;
      }
    })(),
  );
  env.run();
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

// Bursts: 1,000 nodes x 8 simultaneous transfers (one giant component per burst).
{
  const c = { nodes: 1_000, fanout: 8, bursts: quick ? 2 : 5 };
  let mm = 0;
  let eq = 0;
  for (let r = 0; r < (quick ? 1 : 2); r++) {
    mm = Math.max(mm, burstFlowsPerSecond("max-min", c.nodes, c.fanout, c.bursts).rate);
    eq = Math.max(eq, burstFlowsPerSecond("equal-share", c.nodes, c.fanout, c.bursts).rate);
  }
  emit("burst_maxmin_flows_per_s", mm, "flows/s", c);
  emit("burst_equal_share_flows_per_s", eq, "flows/s", c);
  emit("burst_maxmin_vs_equal_share", mm / eq, "ratio", c);
}
