// The world model gives the same event stream under Bun and under Node (REFERENCE §2: only
// reproducible math in core/). Bundles a small driver for Node with `bun build` and compares hashes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BUN = join(import.meta.dir, "..", "..", "node_modules", ".bin", "bun");
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gsim-xrt-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DRIVER = (core: string) => `
import { Environment, RngStreams, HOUR, MINUTE, SECOND } from "${core}/des/index.ts";
import { World } from "${core}/world/world.ts";
import { gossipWorkload } from "${core}/world/gossip.ts";
import { Trace } from "${core}/run/trace.ts";
import { Metrics } from "${core}/run/metrics.ts";
import { createRunContext } from "${core}/run/context.ts";
const env = new Environment();
const streams = new RngStreams(11);
const world = new World(env, streams, {
  groups: [{ count: 80, hardware: { h100: 0.3, m2: 0.7 }, regions: { "us-east": 0.5, "ap-south": 0.5 }, link: { cable: 0.5, dsl: 0.5 }, slow: { fraction: 0.2, factor: 3 } }],
  network: { loss: 0.01, jitter: 0.2, corrupt: 0.01, partitions: [{ at: HOUR, duration: 10 * MINUTE, groups: [["us-east"], ["ap-south"]] }] },
  churn: { fraction: 1, up: { dist: "weibull", scale: HOUR, shape: 0.7 }, down: { dist: "lognormal", median: 10 * MINUTE, sigma: 1 } },
  computeJitter: 0.1,
});
const trace = new Trace(env);
world.setLog((t, f) => trace.emit(t, f));
const ctx = createRunContext({ env, streams, world, trace, metrics: new Metrics(env), backend: "repops" });
const run = gossipWorkload.start(ctx, { heartbeat: { interval: 30 * SECOND, fanout: 2, bytes: 4096 }, rumor: { interval: 10 * MINUTE, fanout: 3, bytes: 65536, ttl: MINUTE }, sampleEvery: 10 * MINUTE, traceMessages: true });
env.run(3 * HOUR);
trace.emit("end", { compute: world.computeTimeUs(3, 1e12), summary: JSON.stringify(run.summary()) + JSON.stringify(world.summary()) });
console.log(trace.close());
`;

test("same events hash under Bun and Node", () => {
  const src = join(dir, "driver.ts");
  writeFileSync(src, DRIVER(join(import.meta.dir, "..")));
  const bundle = join(dir, "driver.mjs");
  const build = spawnSync(BUN, ["build", src, "--target=node", "--outfile", bundle], { encoding: "utf8" });
  expect(build.status).toBe(0);
  const underBun = spawnSync(BUN, [src], { encoding: "utf8" });
  const underNode = spawnSync("node", [bundle], { encoding: "utf8" });
  expect(underBun.stderr).toBe("");
  expect(underNode.stderr).toBe("");
  expect(underBun.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  expect(underNode.stdout.trim()).toBe(underBun.stdout.trim());
});
