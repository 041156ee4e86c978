// A local sweep worker process (spawned by localPool.ts over Bun IPC): receives the plan once,
// then runs one point at a time into DIR/points/<id> and reports back. Exits with its parent.
import { join } from "node:path";
import { GsimError } from "../../core/errors.ts";
import type { SweepPoint } from "./expandSweep.ts";
import { runPoint, type PointInput } from "./runPoint.ts";

export type ToWorker = { type: "plan"; plan: PointInput; dir: string } | { type: "run"; point: SweepPoint } | { type: "stop" };
export type FromWorker = { type: "ready" } | { type: "done"; id: string; eventsHash: string } | { type: "failed"; id: string; message: string };

if (import.meta.main) {
  let plan: PointInput | null = null;
  let dir = "";
  const send = (m: FromWorker) => process.send!(m);
  // Work arrives one point at a time; run them strictly in order.
  let chain = Promise.resolve();
  process.on("message", (m: ToWorker) => {
    chain = chain.then(async () => {
      if (m.type === "plan") {
        plan = m.plan;
        dir = m.dir;
        send({ type: "ready" });
      } else if (m.type === "run") {
        try {
          const eventsHash = await runPoint(plan!, m.point, join(dir, "points", m.point.id));
          send({ type: "done", id: m.point.id, eventsHash });
        } catch (err) {
          const message = err instanceof GsimError || err instanceof Error ? err.message : String(err);
          send({ type: "failed", id: m.point.id, message });
        }
      } else if (m.type === "stop") {
        process.exit(0);
      }
    });
  });
  // A killed parent must not leave workers behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(3);
  }, 500).unref();
  process.on("disconnect", () => process.exit(3));
}
