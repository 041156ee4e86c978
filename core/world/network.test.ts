// Network model: latency, flow-level bandwidth sharing, loss, partitions, down nodes.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import type { Delivery } from "./network.ts";
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
