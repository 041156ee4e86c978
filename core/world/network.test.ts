// Network model: latency, flow-level bandwidth sharing, loss, partitions, down nodes.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { HARDWARE } from "./hardware.ts";
import type { LinkName } from "./links.ts";
import { referenceMaxMin, type Pair } from "./maxMinReference.ts";
import { Network, type Delivery, type Sharing } from "./network.ts";
import { WorldNode } from "./node.ts";
import type { WorldSpec } from "./spec.ts";
import { World } from "./world.ts";

function world(over: Partial<WorldSpec["network"]> = {}, regions: Record<string, number> = { "us-east": 1 }, count = 4): World {
  const env = new Environment();
  return new World(env, new RngStreams(7), {
    groups: [{ count, hardware: { h100: 1 }, regions, link: { cable: 1 } }],
    network: { loss: 0, jitter: 0, partitions: [], ...over },
    churn: null,
    computeJitter: 0,
  });
}

function deliver(w: World, from: number, to: number, bytes: number): Promise<Delivery> {
  const ev = w.network.send(from, to, bytes);
  return new Promise((resolve) => ev.addCallback(() => resolve(ev.value)));
}

describe("a single transfer", () => {
  test("takes latency plus bytes over the sender's uplink", async () => {
    const w = world();
    const p = deliver(w, 0, 1, 2_500_000); // 20 Mbit/s cable uplink = 2.5 bytes/us -> 1 s
    w.env.run();
    const d = await p;
    // same region 1 ms + two cable last miles of 8 ms each = 17 ms one way
    expect(w.network.baseLatencyUs(0, 1)).toBe(17_000);
    expect(d.delivered).toBe(true);
    expect(d.arrivedAt).toBe(1_000_000 + 17_000);
  });
  test("a zero-byte message takes only the latency", async () => {
    const w = world();
    const p = deliver(w, 0, 1, 0);
    w.env.run();
    expect((await p).arrivedAt).toBe(17_000);
  });
  test("a node sending to itself gets it at once, without using the network", async () => {
    const w = world();
    const p = deliver(w, 2, 2, 1e9);
    w.env.run();
    expect(await p).toMatchObject({ delivered: true, arrivedAt: 0 });
    expect(w.network.stats.bytesSent).toBe(0);
  });
  test("inter-region latency follows the matrix (us-east to ap-northeast 74 ms one way)", () => {
    const w = world({}, { "us-east": 0.5, "ap-northeast": 0.5 }, 2);
    const [a, b] = [w.nodes[0], w.nodes[1]];
    expect(a.region).not.toBe(b.region);
    expect(w.network.baseLatencyUs(a.id, b.id)).toBe(74_000 + 16_000);
  });
});

describe("flow-level sharing", () => {
  test("two transfers from one sender share its uplink equally", async () => {
    const w = world();
    const p1 = deliver(w, 0, 1, 2_500_000);
    const p2 = deliver(w, 0, 2, 2_500_000);
    w.env.run();
    // each gets 1.25 bytes/us: both finish at 2 s
    expect((await p1).arrivedAt).toBe(2_000_000 + 17_000);
    expect((await p2).arrivedAt).toBe(2_000_000 + 17_000);
  });
  test("a transfer speeds up when the other one ends", async () => {
    const w = world();
    const small = deliver(w, 0, 1, 1_250_000); // at half rate: done at 1 s
    const big = deliver(w, 0, 2, 5_000_000); // 1.25 MB by 1 s, then 3.75 MB at full 2.5 B/us = 1.5 s
    w.env.run();
    expect((await small).arrivedAt).toBe(1_000_000 + 17_000);
    expect((await big).arrivedAt).toBe(2_500_000 + 17_000);
  });
  test("fan-in is limited by the receiver's downlink share", async () => {
    const w = world({}, { "us-east": 1 }, 3);
    // cable down 300 Mbit/s = 37.5 B/us; two senders at 2.5 B/us each are uplink-bound
    const a = deliver(w, 1, 0, 2_500_000);
    const b = deliver(w, 2, 0, 2_500_000);
    w.env.run();
    expect((await a).arrivedAt).toBe(1_017_000);
    expect((await b).arrivedAt).toBe(1_017_000);
  });
});

/** Node 0 on fiber (up 62.5 B/us) sends to node 1 on fiber (down 125) and node 2 on DSL (down 3.125). */
function fastAndSlow(sharing?: Sharing): World {
  const group = (link: LinkName) => ({ count: 1, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { [link]: 1 } });
  return new World(new Environment(), new RngStreams(7), {
    groups: [group("fiber"), group("fiber"), group("dsl")],
    network: { loss: 0, jitter: 0, partitions: [], ...(sharing ? { sharing } : {}) },
    churn: null,
    computeJitter: 0,
  });
}

describe("max-min sharing (default)", () => {
  test("a sender with a fast and a slow receiver: the fast one gets the uplink the slow one leaves", async () => {
    const w = fastAndSlow();
    const fast = deliver(w, 0, 1, 59_375_000);
    const slow = deliver(w, 0, 2, 6_250_000);
    // DSL downlink 3.125 B/us caps the slow flow; the fast one gets 62.5 - 3.125 = 59.375 B/us
    expect(w.network.activeFlows().map((f) => f.rate)).toEqual([59.375, 3.125]);
    w.env.run();
    // 59.375 MB at 59.375 B/us = 1 s, plus 1 ms region + 2 x 2 ms fiber last miles
    expect((await fast).arrivedAt).toBe(1_000_000 + 5_000);
    // 6.25 MB at 3.125 B/us = 2 s (still downlink-bound once alone), plus 1 + 2 + 15 ms
    expect((await slow).arrivedAt).toBe(2_000_000 + 18_000);
  });
  test("transfers started at one instant are refilled once, after the instant's other events", () => {
    const w = world();
    const up = w.nodes[0].upBytesPerUs;
    for (const to of [1, 2, 3]) w.network.send(0, to, 10_000_000);
    expect(w.network.refills).toBe(0); // nothing is refilled while the instant is still running
    w.env.run(1); // every event at t = 0
    expect(w.network.refills).toBe(1);
    expect(w.network.activeFlows().map((f) => f.rate)).toEqual([up / 3, up / 3, up / 3]);
    expect(w.network.refills).toBe(1); // nothing left for activeFlows to flush
    w.env.run(); // three equal flows end at one instant: one more refill
    expect(w.network.refills).toBe(2);
  });
  test("equal-share (the option) leaves that capacity unused: the fast flow gets half the uplink", async () => {
    const w = fastAndSlow("equal-share");
    const fast = deliver(w, 0, 1, 59_375_000);
    const slow = deliver(w, 0, 2, 6_250_000);
    expect(w.network.activeFlows().map((f) => f.rate)).toEqual([31.25, 3.125]);
    w.env.run();
    expect((await fast).arrivedAt).toBe(1_900_000 + 5_000); // 59.375 MB / 31.25 B/us
    expect((await slow).arrivedAt).toBe(2_000_000 + 18_000);
  });
  test("an unknown sharing mode is refused, naming the value", () => {
    expect(() => fastAndSlow("fair" as Sharing)).toThrow('network.sharing must be one of max-min, equal-share, got "fair"');
  });
  test("an end re-rates flows two hops away in the same component", () => {
    // 1 -> 0 and 2 -> 0 share node 0's downlink with 2 -> 3; ending 1 -> 0 frees node 0's downlink,
    // which lets 2 -> 0 grow, which takes node 2's uplink from 2 -> 3.
    const mk = (id: number, up: number, down: number) =>
      new WorldNode(id, 0, "us-east", 0, HARDWARE.h100, { name: "cable", upBps: up * 8e6, downBps: down * 8e6, accessLatencyUs: 0 }, 1, false);
    const env = new Environment();
    const net = new Network(env, new RngStreams(1), [mk(0, 1, 4), mk(1, 10, 1), mk(2, 10, 1), mk(3, 1, 100)], { loss: 0, jitter: 0 });
    net.send(1, 0, 2_000_000);
    net.send(2, 0, 100_000_000);
    net.send(2, 3, 100_000_000);
    // downlink 0 (4) split 2/2; uplink 2 (10) has 8 left for 2 -> 3
    expect(net.activeFlows().map((f) => f.rate)).toEqual([2, 2, 8]);
    env.run(1_000_001);
    // 1 -> 0 ended at 1 s; downlink 0 now gives 2 -> 0 up to 4, uplink 2 has 6 left
    expect(net.activeFlows().map((f) => f.rate)).toEqual([4, 6]);
  });
});

/** A network over nodes with the given (up, down) capacities in bytes/us. */
function customNetwork(env: Environment, caps: readonly (readonly [number, number])[], sharing?: Sharing): Network {
  const nodes = caps.map(
    ([up, down], id) => new WorldNode(id, 0, "us-east", 0, HARDWARE.h100, { name: "cable", upBps: up * 8e6, downBps: down * 8e6, accessLatencyUs: 0 }, 1, false),
  );
  return new Network(env, new RngStreams(1), nodes, { loss: 0, jitter: 0, sharing });
}

/**
 * Random sends, aborts and completions on a small network; after every step the rates the
 * network holds (recomputed per touched component) must equal an independent solve of all flows.
 */
function checkAgainstReference(seed: number): number {
  const rng = new RngStreams(seed).stream("network-maxmin");
  const n = 2 + rng.int(6);
  const levels = [0.375, 1, 2.5, 3.125, 37.5, 62.5];
  const pick = () => (rng.random() < 0.5 ? levels[rng.int(levels.length)] : 0.1 + rng.random() * 50);
  const caps = Array.from({ length: n }, () => [pick(), pick()] as const);
  const env = new Environment();
  const net = customNetwork(env, caps);
  let checked = 0;
  for (let step = 0; step < 40; step++) {
    const u = rng.random();
    if (u < 0.6) {
      const from = rng.int(n);
      let to = rng.int(n - 1);
      if (to >= from) to++;
      net.send(from, to, 1 + rng.int(50_000_000));
    } else if (u < 0.7) net.abortFlowsOf(rng.int(n));
    else env.run(env.now + 1 + rng.int(5_000_000));
    const flows = net.activeFlows();
    const want = referenceMaxMin(
      caps.flatMap(([up, down]) => [up, down]),
      flows.map((f) => [2 * f.from, 2 * f.to + 1] as Pair),
    );
    flows.forEach((f, i) => {
      if (Math.abs(f.rate - want[i]) > 1e-9 * want[i]) throw new Error(`seed ${seed} step ${step}: flow ${f.from}->${f.to} rate ${f.rate}, reference ${want[i]}`);
    });
    checked += flows.length;
  }
  return checked;
}

describe("max-min rates recomputed per component equal a global solve", () => {
  test("on random sends, aborts and completions (property, seeds 1-150)", () => {
    let checked = 0;
    for (let seed = 1; seed <= 150; seed++) checked += checkAgainstReference(seed);
    expect(checked).toBeGreaterThan(5_000);
  });
  test("fixed-seed twin: seed 3", () => {
    expect(checkAgainstReference(3)).toBe(118); // flow-rates compared over its 40 steps
  });
});

describe("failures", () => {
  test("loss = 1 loses every message, on arrival", async () => {
    const w = world({ loss: 1 });
    const p = deliver(w, 0, 1, 100);
    w.env.run();
    const d = await p;
    expect(d.delivered).toBe(false);
    expect(d.reason).toBe("lost");
    expect(w.network.stats.lost).toBe(1);
  });
  test("a partition between regions blocks delivery, then heals", async () => {
    const w = world({ partitions: [{ at: 0, duration: 1_000_000, groups: [["us-east"], ["ap-northeast"]] }] }, { "us-east": 0.5, "ap-northeast": 0.5 }, 2);
    const first = deliver(w, 0, 1, 0);
    w.env.run(500_000);
    const second = deliver(w, 0, 1, 0);
    w.env.run(2_000_000);
    const third = deliver(w, 0, 1, 0);
    w.env.run();
    expect((await first).reason).toBe("partition");
    expect((await second).reason).toBe("partition");
    expect((await third).delivered).toBe(true);
  });
  test("a receiver that goes down aborts the transfer", async () => {
    const w = world();
    const p = deliver(w, 0, 1, 2_500_000);
    w.env.run(400_000);
    w.setAvailable(1, false, "crash");
    w.env.run();
    const d = await p;
    expect(d).toMatchObject({ delivered: false, reason: "down", arrivedAt: 400_000 });
    expect(w.network.flowsAt(0)).toEqual({ out: 0, in: 0 });
  });
  test("a down sender's message fails at once", async () => {
    const w = world();
    w.setAvailable(0, false);
    const p = deliver(w, 0, 1, 10);
    w.env.run();
    expect(await p).toMatchObject({ delivered: false, reason: "down", arrivedAt: 0 });
  });
});

describe("malformed payloads", () => {
  test("corrupt = 1 delivers every message marked corrupted", async () => {
    const w = world({ corrupt: 1 });
    const p = deliver(w, 0, 1, 100);
    w.env.run();
    expect(await p).toMatchObject({ delivered: true, corrupted: true });
    expect(w.network.stats.corrupted).toBe(1);
  });
  test("a lost message is not also corrupted", async () => {
    const w = world({ corrupt: 1, loss: 1 });
    const p = deliver(w, 0, 1, 100);
    w.env.run();
    const d = await p;
    expect(d.reason).toBe("lost");
    expect(d.corrupted).toBeUndefined();
  });
});
