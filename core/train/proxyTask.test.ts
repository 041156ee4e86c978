import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { makeShards, makeTask } from "./proxyTask.ts";

const cfg = { inputs: 4, classes: 5, teacherHidden: 8, sharpness: 4, poolSize: 500, heldOutSize: 100 };

describe("proxy task", () => {
  test("same seed, same corpus; labels cover every class", () => {
    const a = makeTask(cfg, new RngStreams(9), "t");
    const b = makeTask(cfg, new RngStreams(9), "t");
    expect(Array.from(a.pool.y)).toEqual(Array.from(b.pool.y));
    expect(a.byClass.every((l) => l.length > 0)).toBe(true);
    expect(a.heldOut.n).toBe(100);
  });
  test("Dirichlet(0.1) shards are skewed; iid shards are the whole pool", () => {
    const s = new RngStreams(9);
    const task = makeTask(cfg, s, "t");
    const skewed = makeShards(task, 4, 0.1, 200, s);
    for (const shard of skewed) {
      const counts = new Array(5).fill(0);
      for (const e of shard) counts[task.pool.y[e]]++;
      expect(Math.max(...counts) / 200).toBeGreaterThan(0.4);
    }
    expect(makeShards(task, 2, null, 200, s)[1].length).toBe(500);
  });
});
