// Advances the kernel in slices up to the end time, stopping early when `done` fires, and awaits
// the barrier hooks between slices (RunContext.onBarrier; the anvil ledger mines one block per
// slice there). Events at a barrier's time run after its hook, as env.run(until) does.
import type { SimEvent } from "../../core/des/index.ts";
import type { RunnerContext } from "../../core/run/index.ts";

export type EndReason = "done" | "duration";

export interface AdvanceOptions {
  /** Absolute virtual time to stop at (exclusive of events at that time). */
  endUs: number;
  done?: SimEvent<unknown>;
  /** Called after each slice with the current time (progress bars). Never affects the run. */
  onSlice?: (now: number) => void;
  /** Longest slice without a barrier; only sets how often onSlice is called. */
  sliceUs?: number;
}

export async function advance(ctx: RunnerContext, o: AdvanceOptions): Promise<EndReason> {
  const env = ctx.env;
  let finished = o.done !== undefined && o.done.processed;
  if (o.done !== undefined && !finished) o.done.addCallback(() => (finished = true));
  const next = ctx.barriers.map((b) => env.now + b.intervalUs);
  const slice = Math.max(1, o.sliceUs ?? Math.ceil((o.endUs - env.now) / 200));
  while (!finished && env.now < o.endUs) {
    let until = Math.min(o.endUs, env.now + slice);
    for (const t of next) if (t < until) until = t;
    while (!finished && env.queued > 0 && env.peek() < until) env.step();
    if (finished) break;
    env.run(until);
    // Barriers registered during the slice start counting from now.
    while (next.length < ctx.barriers.length) next.push(env.now + ctx.barriers[next.length].intervalUs);
    for (let i = 0; i < next.length; i++) {
      if (next[i] === env.now) {
        await ctx.barriers[i].hook(env.now);
        next[i] += ctx.barriers[i].intervalUs;
      }
    }
    o.onSlice?.(env.now);
  }
  return finished ? "done" : "duration";
}
