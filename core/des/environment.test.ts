import { describe, expect, test } from "bun:test";
import { Environment, Interrupt, Resource, Rng, SimEvent, Store, SECOND, URGENT, NORMAL } from "./index.ts";
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

  test("callbacks run in registration order; removeCallback drops one registration", () => {
    const env = new Environment();
    const log: string[] = [];
    const ev = env.timeout(3);
    const a = () => log.push("a");
    const b = () => log.push("b");
    const c = () => log.push(`c${env.now}`);
    ev.addCallback(a);
    ev.addCallback(b);
    ev.addCallback(c);
    ev.addCallback(a);
    ev.removeCallback(a); // the first registration: the field one, the array's head moves up
    ev.removeCallback(() => {}); // not registered: no effect
    const solo = env.timeout(1);
    solo.addCallback(b);
    solo.removeCallback(b);
    env.run();
    expect(log).toEqual(["b", "c3", "a"]);
    expect(ev.processed && solo.processed).toBe(true);
    expect(() => ev.addCallback(a)).toThrow(/already processed/);
  });

  test("an event is scheduled at most once", () => {
    const env = new Environment();
    const ev = new SimEvent(env, "twice");
    env.schedule(ev, NORMAL, 5);
    expect(() => env.schedule(ev, NORMAL, 7)).toThrow(/twice is already scheduled/);
    env.run();
    expect(() => env.schedule(ev, NORMAL, 1)).toThrow(/already scheduled/);
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

/**
 * The queue against an independent reference: every event's (time, priority, seq) recorded when
 * it is scheduled, then sorted. Events schedule further events while the run goes on (a hold
 * model with ties on time and mixed priorities, so sift-up and sift-down both meet equal times);
 * children are at least 10 us later than their parent, so the global sort is the processing order.
 */
function queueOrderMatchesReference(seed: string, initial: number, total: number): void {
  const rng = new Rng(seed);
  const env = new Environment();
  const ref: { time: number; priority: number; seq: number }[] = [];
  const order: number[] = [];
  const add = (delay: number, priority: number) => {
    const id = ref.length;
    const ev = new SimEvent(env);
    ev.addCallback(() => {
      order.push(id);
      if (ref.length < total) for (let k = rng.int(3); k > 0; k--) add(10 + rng.int(4) * 10, rng.int(3));
    });
    env.schedule(ev, priority, delay);
    ref.push({ time: env.now + delay, priority, seq: id });
  };
  for (let i = 0; i < initial; i++) add(rng.int(5) * 10, rng.int(3));
  env.run();
  const expected = ref.map((r, id) => ({ ...r, id }));
  expected.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
  expect(order.length).toBe(ref.length);
  expect(ref.length).toBeGreaterThan(Math.min(total, initial));
  expect(order).toEqual(expected.map((r) => r.id));
}

/**
 * Same-time scheduling while a time is being processed (delay 0, any priority, also below the
 * running event's) and thousands of distinct pending times, checked by replay: each processed
 * event must be the (time, priority, seq) minimum of a plain list of what was pending then.
 */
function sameTimeOrderMatchesReplay(seed: string, initial: number, total: number): void {
  const rng = new Rng(seed);
  const env = new Environment();
  const recs: { time: number; priority: number; seq: number }[] = [];
  const children: number[][] = [];
  const order: number[] = [];
  const add = (parent: number, delay: number, priority: number) => {
    const id = recs.length;
    const ev = new SimEvent(env);
    ev.addCallback(() => {
      order.push(id);
      if (recs.length >= total) return;
      for (let k = rng.int(3); k > 0; k--) {
        const d = rng.int(4) === 0 ? 0 : 1 + rng.int(5000);
        add(id, d, rng.int(3) === 0 ? rng.int(256) : rng.int(2));
      }
    });
    recs.push({ time: env.now + delay, priority, seq: id });
    children.push([]);
    if (parent >= 0) children[parent].push(id);
    env.schedule(ev, priority, delay);
  };
  for (let i = 0; i < initial; i++) add(-1, rng.int(5000), rng.int(256));
  env.run();
  expect(order.length).toBe(recs.length);
  expect(recs.length).toBeGreaterThan(Math.min(total, initial) + 1);
  const pending = new Set<number>();
  for (let i = 0; i < initial; i++) pending.add(i);
  const before = (a: number, b: number) =>
    recs[a].time - recs[b].time || recs[a].priority - recs[b].priority || recs[a].seq - recs[b].seq;
  for (const id of order) {
    let min = -1;
    for (const p of pending) if (min < 0 || before(p, min) < 0) min = p;
    expect(id).toBe(min);
    pending.delete(id);
    for (const c of children[id]) pending.add(c);
  }
  expect(pending.size).toBe(0);
}

/**
 * The radix heap's edges, by the same replay: delays from 0 to 2^50 us (times crossing 2^31, 2^32
 * and far beyond), batches of 40-120 events at one time with random priorities (bucket 0 sorted
 * on the way down), and run(until) in slices with events scheduled between them (the clock then
 * stands past the last event taken).
 */
function wideTimesMatchReplay(seed: string, total: number): void {
  const rng = new Rng(seed);
  const env = new Environment();
  const recs: { time: number; priority: number; seq: number }[] = [];
  // The log of what happened, in order: id >= 0 scheduled, ~id processed.
  const log: number[] = [];
  const delay = () => {
    const r = rng.int(6);
    if (r === 0) return 0;
    if (r === 1) return 1 + rng.int(1000);
    if (r === 2) return 2 ** 31 - 500 + rng.int(1000);
    if (r === 3) return 2 ** 32 - 500 + rng.int(1000);
    return Math.floor(rng.random() * 2 ** (33 + rng.int(18)));
  };
  const add = (d: number, priority: number) => {
    const id = recs.length;
    const ev = new SimEvent(env);
    ev.addCallback(() => {
      log.push(~id);
      if (recs.length >= total) return;
      if (rng.int(8) === 0) {
        const d2 = delay();
        for (let k = 40 + rng.int(80); k > 0; k--) add(d2, rng.int(256));
      } else for (let k = rng.int(3); k > 0; k--) add(delay(), rng.int(3) === 0 ? rng.int(256) : rng.int(2));
    });
    recs.push({ time: env.now + d, priority, seq: id });
    log.push(id);
    env.schedule(ev, priority, d);
  };
  for (let i = 0; i < 200; i++) add(delay(), rng.int(256));
  let slices = 0;
  while (env.queued > 0) {
    env.run(env.now + Math.floor(rng.random() * 2 ** (20 + rng.int(30))));
    slices++;
    if (recs.length < total) for (let k = rng.int(4); k > 0; k--) add(delay(), rng.int(256));
  }
  expect(recs.length).toBeGreaterThanOrEqual(total);
  expect(slices).toBeGreaterThan(10);
  expect(Math.max(...recs.map((r) => r.time))).toBeGreaterThan(2 ** 40);
  const before = (a: number, b: number) =>
    recs[a].time - recs[b].time || recs[a].priority - recs[b].priority || recs[a].seq - recs[b].seq;
  const pending = new Set<number>();
  let processed = 0;
  for (const x of log) {
    if (x >= 0) {
      pending.add(x);
      continue;
    }
    let min = -1;
    for (const p of pending) if (min < 0 || before(p, min) < 0) min = p;
    expect(~x).toBe(min);
    pending.delete(~x);
    processed++;
  }
  expect(processed).toBe(recs.length);
}

describe("event queue", () => {
  test("URGENT runs before NORMAL at the same time, whatever the scheduling order", () => {
    const env = new Environment();
    const log: string[] = [];
    const mk = (name: string, priority: number, delay: number) => {
      const ev = new SimEvent(env, name);
      ev.addCallback(() => log.push(`${name}@${env.now}`));
      env.schedule(ev, priority, delay);
    };
    mk("n1", NORMAL, 5);
    mk("u1", URGENT, 5);
    mk("n2", NORMAL, 5);
    mk("p2", 2, 5);
    mk("u2", URGENT, 5);
    mk("early", 9, 4);
    env.run();
    expect(log).toEqual(["early@4", "u1@5", "u2@5", "n1@5", "n2@5", "p2@5"]);
  });

  test("a time beyond 2^53 - 1 us is refused before the queue changes", () => {
    const env = new Environment(1);
    const t = env.timeout(5);
    expect(() => env.timeout(Number.MAX_SAFE_INTEGER)).toThrow(/beyond 2\^53 - 1 us/);
    expect(env.queued).toBe(1);
    env.run();
    expect(t.processed).toBe(true);
    expect(env.now).toBe(6);
  });

  test("rejects priorities outside [0, 255] and non-integers", () => {
    const env = new Environment();
    expect(() => env.schedule(new SimEvent(env, "x"), -1)).toThrow(/priority -1: need an integer in \[0, 255\]/);
    expect(() => env.schedule(new SimEvent(env, "x"), 256)).toThrow(/priority 256/);
    expect(() => env.schedule(new SimEvent(env, "x"), 0.5)).toThrow(/priority 0.5/);
  });

  test("(time, priority, seq) order of 20,000 events with ties matches a sorted reference (seed 7)", () => {
    queueOrderMatchesReference("queue-7", 500, 20_000);
  });

  test("property: the same holds for other seeds and queue sizes", () => {
    for (const [seed, initial] of [["queue-a", 1], ["queue-b", 37], ["queue-c", 3000]] as const) queueOrderMatchesReference(seed, initial, 8_000);
  });

  test("delay-0 events of any priority and 1,000+ distinct times replay in order (seed 11)", () => {
    sameTimeOrderMatchesReplay("queue-11", 1200, 6_000);
  });

  test("times from 0 to 2^50 us, 40-120-event ties and run(until) slices keep the order (seed 5)", () => {
    wideTimesMatchReplay("wide-5", 6_000);
  });

  test("property: the same holds for other seeds", () => {
    for (const seed of ["wide-a", "wide-b", "wide-c"]) wideTimesMatchReplay(seed, 3_000);
  });

  test("property: the same replay holds for other seeds and queue sizes", () => {
    for (const [seed, initial] of [["replay-a", 1], ["replay-b", 40], ["replay-c", 2500]] as const) sameTimeOrderMatchesReplay(seed, initial, 4_000);
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
