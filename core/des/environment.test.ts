import { describe, expect, test } from "bun:test";
import { Environment, Interrupt, Resource, Store, SECOND } from "./index.ts";
import { KernelError } from "../errors.ts";

describe("Environment", () => {
  test("orders events by time, then priority, then insertion", () => {
    const env = new Environment();
    const log: string[] = [];
    for (const [name, delay] of [["c", 30], ["a", 10], ["b", 10], ["d", 0]] as const) {
      env.timeout(delay).addCallback(() => log.push(`${name}@${env.now}`));
    }
    env.run();
    expect(log).toEqual(["d@0", "a@10", "b@10", "c@30"]);
  });

  test("rejects negative and fractional delays", () => {
    const env = new Environment();
    expect(() => env.timeout(-1)).toThrow(KernelError);
    expect(() => env.timeout(1.5)).toThrow(/non-negative integer/);
  });

  test("re-triggering an event is an error", () => {
    const env = new Environment();
    const ev = env.event();
    ev.succeed(1);
    expect(() => ev.succeed(2)).toThrow(/already been triggered/);
  });

  test("an unhandled failed event stops the run loudly", () => {
    const env = new Environment();
    env.event("boom").fail(new Error("disk on fire"));
    expect(() => env.run()).toThrow(/unhandled failure in boom at t=0us: disk on fire/);
  });

  test("run(until) stops before events at that time and sets the clock", () => {
    const env = new Environment();
    let fired = 0;
    env.timeout(5).addCallback(() => fired++);
    env.timeout(10).addCallback(() => fired++);
    env.run(10);
    expect(fired).toBe(1);
    expect(env.now).toBe(10);
  });
});

describe("Process", () => {
  test("a generator waits on timeouts and returns a value", () => {
    const env = new Environment();
    const p = env.process(
      (function* () {
        const v = yield env.timeout(3 * SECOND, "x");
        yield env.timeout(2 * SECOND);
        return `${v}@${env.now}`;
      })(),
    );
    expect(env.run(p)).toBe("x@5000000");
  });

  test("a process catches a failed event it waited for", () => {
    const env = new Environment();
    const ev = env.event();
    const p = env.process(
      (function* () {
        try {
          yield ev;
          return "no";
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    );
    env.timeout(1).addCallback(() => ev.fail(new Error("lost")));
    expect(env.run(p)).toBe("lost");
  });

  test("interrupt throws into the waiting process with its cause", () => {
    const env = new Environment();
    const worker = env.process(
      (function* () {
        try {
          yield env.timeout(100);
          return "finished";
        } catch (e) {
          if (e instanceof Interrupt) return `interrupted by ${e.cause} at ${env.now}`;
          throw e;
        }
      })(),
    );
    env.process(
      (function* () {
        yield env.timeout(7);
        worker.interrupt("churn");
      })(),
    );
    expect(env.run(worker)).toBe("interrupted by churn at 7");
  });

  test("allOf and anyOf wait for all / the first", () => {
    const env = new Environment();
    const a = env.timeout(5, "a");
    const b = env.timeout(9, "b");
    const p = env.process(
      (function* () {
        const first = yield env.anyOf([a, b]);
        const t1 = env.now;
        const all = yield env.allOf([a, b]);
        return [[...first.values()], t1, [...all.values()], env.now];
      })(),
    );
    expect(env.run(p)).toEqual([["a"], 5, ["a", "b"], 9]);
  });

  test("yielding a non-event fails the process with a clear error", () => {
    const env = new Environment();
    const p = env.process((function* () { yield 42 as any; })(), "bad");
    expect(() => env.run(p)).toThrow(/yielded 42, which is not an event/);
  });
});

describe("Resource and Store", () => {
  test("a resource of capacity 1 serialises users in arrival order", () => {
    const env = new Environment();
    const gpu = new Resource(env, 1);
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) {
      env.process(
        (function* () {
          const req = gpu.request();
          yield req;
          log.push(`${name}+${env.now}`);
          yield env.timeout(10);
          req.release();
        })(),
      );
    }
    env.run();
    expect(log).toEqual(["a+0", "b+10", "c+20"]);
  });

  test("a store hands items to getters in order, with filters", () => {
    const env = new Environment();
    const box = new Store<number>(env);
    const got: string[] = [];
    env.process((function* () { got.push(`picky:${yield box.get((x) => x > 1)}`); })());
    env.process((function* () { got.push(`any:${yield box.get()}`); })());
    env.process((function* () { yield env.timeout(1); yield box.put(1); yield box.put(2); })());
    env.run();
    expect(got).toEqual(["any:1", "picky:2"]);
  });
});
