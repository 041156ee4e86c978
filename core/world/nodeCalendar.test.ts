// NodeCalendar: one pending time per node, in (time, id) order, driven by one kernel timeout.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { NodeCalendar } from "./nodeCalendar.ts";

describe("NodeCalendar", () => {
  test("fires entries in (time, id) order at their times", () => {
    const env = new Environment();
    const log: string[] = [];
    const cal = new NodeCalendar(env, 10, (id) => log.push(`${env.now}:${id}`));
    cal.schedule(3, 50);
    cal.schedule(1, 50);
    cal.schedule(2, 10);
    env.run();
    expect(log).toEqual(["10:2", "50:1", "50:3"]);
  });
  test("rescheduling replaces a node's entry; cancel removes it", () => {
    const env = new Environment();
    const log: number[] = [];
    const cal = new NodeCalendar(env, 4, (id) => log.push(id));
    cal.schedule(0, 100);
    cal.schedule(1, 200);
    cal.schedule(0, 300);
    cal.schedule(2, 150);
    cal.cancel(2);
    env.run();
    expect(log).toEqual([1, 0]);
    expect(env.now).toBe(300);
  });
  test("handlers may schedule again (a recurring timer)", () => {
    const env = new Environment();
    let n = 0;
    const cal = new NodeCalendar(env, 1, (id) => {
      if (++n < 5) cal.schedule(id, env.now + 7);
    });
    cal.schedule(0, 7);
    env.run();
    expect(n).toBe(5);
    expect(env.now).toBe(35);
  });
  test("matches a sorted reference on random schedules (property, fixed seed)", () => {
    const rng = new RngStreams(1).stream("calendar");
    const env = new Environment();
    const got: [number, number][] = [];
    const N = 500;
    const cal = new NodeCalendar(env, N, (id) => got.push([env.now, id]));
    const last = new Map<number, number>();
    for (let k = 0; k < 2000; k++) {
      const id = rng.int(N);
      const at = rng.int(10_000);
      cal.schedule(id, at);
      last.set(id, at);
    }
    env.run();
    const want = [...last.entries()].map(([id, t]) => [t, id] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(got).toEqual(want);
    expect(cal.pending).toBe(0);
  });
  test("scheduling in the past is an error", () => {
    const env = new Environment();
    env.run(100);
    expect(() => new NodeCalendar(env, 1, () => {}).schedule(0, 50)).toThrow("before now");
  });
});
