// FlowCalendar: transfers end in (time, flow id) order from one kernel timeout; moves and removals.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { FlowCalendar, type CalendarEntry } from "./flowCalendar.ts";

const entry = (id: number): CalendarEntry => ({ id, due: 0, slot: -1 });

describe("FlowCalendar", () => {
  test("ends flows in (time, id) order at their times", () => {
    const env = new Environment();
    const log: string[] = [];
    const cal = new FlowCalendar<CalendarEntry>(env, (f) => log.push(`${env.now}:${f.id}`));
    const [a, b, c] = [entry(3), entry(1), entry(2)];
    cal.set(a, 50);
    cal.set(b, 50);
    cal.set(c, 10);
    cal.arm();
    env.run();
    expect(log).toEqual(["10:2", "50:1", "50:3"]);
  });
  test("moving a flow later or earlier and removing one take effect; one kernel event per end time", () => {
    const env = new Environment();
    const log: number[] = [];
    const cal = new FlowCalendar<CalendarEntry>(env, (f) => log.push(f.id));
    const [a, b, c] = [entry(0), entry(1), entry(2)];
    cal.set(a, 100);
    cal.set(b, 200);
    cal.set(c, 150);
    cal.arm();
    cal.set(a, 300); // later
    cal.set(b, 120); // earlier
    cal.remove(c);
    cal.arm();
    env.run();
    expect(log).toEqual([1, 0]);
    expect(env.now).toBe(300);
    expect(c.slot).toBe(-1);
    expect(cal.pending).toBe(0);
  });
  test("matches a sorted reference on random moves and removals (property, fixed seed)", () => {
    const rng = new RngStreams(5).stream("flow-calendar");
    const env = new Environment();
    const got: [number, number][] = [];
    const cal = new FlowCalendar<CalendarEntry>(env, (f) => got.push([env.now, f.id]));
    const flows = Array.from({ length: 300 }, (_, i) => entry(i));
    const last = new Map<number, number>();
    for (let k = 0; k < 3000; k++) {
      const f = flows[rng.int(flows.length)];
      if (rng.random() < 0.2) {
        cal.remove(f);
        last.delete(f.id);
      } else {
        const at = rng.int(10_000);
        cal.set(f, at);
        last.set(f.id, at);
      }
    }
    cal.arm();
    env.run();
    const want = [...last.entries()].map(([id, t]) => [t, id] as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(200);
  });
  test("a time before now is an error", () => {
    const env = new Environment();
    env.run(100);
    expect(() => new FlowCalendar<CalendarEntry>(env, () => {}).set(entry(4), 50)).toThrow("flow 4 due at 50, before now (100)");
  });
});
