import { describe, expect, test } from "bun:test";
import { Environment } from "../des/environment.ts";
import { groupExchange, ringAllReduce, starExchange, TrafficLedger, treeAllReduce, type Transport } from "./collectives.ts";

/** A network without contention: latency + bytes / bandwidth per transfer (bytes per microsecond). */
function plainNetwork(env: Environment, latencyUs: number, bytesPerUs: number): Transport {
  return { send: (_f, _t, bytes) => env.timeout(latencyUs + Math.ceil(bytes / bytesPerUs)) };
}

function run(gen: (env: Environment, net: Transport, ledger: TrafficLedger) => Generator<any, number, any>) {
  const env = new Environment();
  const ledger = new TrafficLedger();
  const p = env.process(gen(env, plainNetwork(env, 100, 10), ledger));
  env.run();
  return { elapsed: p.value as number, ledger };
}

describe("ring all-reduce", () => {
  test("4 nodes: 6 phases of bytes/4 per node", () => {
    const { elapsed, ledger } = run((env, net, l) => ringAllReduce(env, net, [0, 1, 2, 3], 4000, l));
    expect(elapsed).toBe(6 * (100 + 100)); // chunk 1000 bytes at 10 B/us = 100 us + 100 us latency
    expect(ledger.sent.get(2)).toBe(6 * 1000);
    expect(ledger.transfers).toBe(24);
    expect(ledger.totalSent()).toBe(2 * 3 * 4000);
  });
  test("one node sends nothing", () => {
    expect(run((env, net, l) => ringAllReduce(env, net, [5], 4000, l)).elapsed).toBe(0);
  });
});

describe("tree all-reduce", () => {
  test("7 nodes: depth 2 up and 2 down, full payload per hop", () => {
    const { elapsed, ledger } = run((env, net, l) => treeAllReduce(env, net, [10, 11, 12, 13, 14, 15, 16], 1000, l));
    expect(elapsed).toBe(4 * (100 + 100));
    expect(ledger.transfers).toBe(12);
    expect(ledger.sent.get(10)).toBe(2000); // root broadcasts to two children
    expect(ledger.sent.get(16)).toBe(1000); // a leaf sends once, up
  });
  test("grows with log N while ring grows with N (latency-bound payload)", () => {
    const nodes = (n: number) => Array.from({ length: n }, (_, i) => i);
    const tree64 = run((env, net, l) => treeAllReduce(env, net, nodes(64), 10, l)).elapsed;
    const ring64 = run((env, net, l) => ringAllReduce(env, net, nodes(64), 10, l)).elapsed;
    expect(tree64).toBe(12 * 101); // 6 levels up (depth of node 63), 6 down
    expect(ring64).toBe(126 * 101);
  });
});

describe("gossip group exchange", () => {
  test("a pair swaps payloads in one hop", () => {
    const { elapsed, ledger } = run((env, net, l) => groupExchange(env, net, [3, 8], 1000, l));
    expect(elapsed).toBe(200);
    expect(ledger.sent.get(3)).toBe(1000);
    expect(ledger.sent.get(8)).toBe(1000);
  });
});

describe("NoLoCo star exchange (gensyn-ai/noloco: through the group's first member)", () => {
  test("3 members: two send slow + fast-minus-slow weights (2 payloads) to the root, which sends both means back", () => {
    const { elapsed, ledger } = run((env, net, l) => starExchange(env, net, [3, 8, 9], 1000, l));
    expect(elapsed).toBe(2 * (100 + 200)); // two phases of 2000 bytes at 10 B/us + 100 us latency
    expect(ledger.transfers).toBe(4);
    expect(ledger.sent.get(3)).toBe(4000); // the root: 2 payloads to each of 2 members
    expect(ledger.sent.get(8)).toBe(2000);
    expect(ledger.totalSent()).toBe(4 * 2 * 1000);
  });
  test("a pair takes 3x the all-to-all swap here; one member alone sends nothing", () => {
    expect(run((env, net, l) => starExchange(env, net, [3, 8], 1000, l)).elapsed).toBe(600);
    expect(run((env, net, l) => groupExchange(env, net, [3, 8], 1000, l)).elapsed).toBe(200);
    expect(run((env, net, l) => starExchange(env, net, [3], 1000, l)).elapsed).toBe(0);
  });
});
