// DisputeTransport over the world's network model (core/world): real latency, shared bandwidth,
// loss, partitions and down nodes. A message that fails is sent again with exponential backoff
// (1 s, 2 s, 4 s ... capped) until it arrives or `giveUpUs` has passed; a party that stays
// unreachable lets its chess clock run out and loses (REFERENCE §3, §4). Compute time comes from
// the node's hardware.
import type { Environment, SimEvent } from "../des/index.ts";
import type { Delivery } from "../world/network.ts";
import type { World } from "../world/world.ts";
import type { DisputeTransport } from "./disputeGame.ts";

export interface WorldTransportOptions {
  /** World node of each party id (provider ids and the referee's id). */
  nodeOf(id: string): number;
  /** First resend delay (default 1 s), doubled after each failure up to `maxBackoffUs` (default 5 min). */
  retryUs?: number;
  maxBackoffUs?: number;
  /** Stop resending after this long (default 7 days): the receiver's deadline has passed by then. */
  giveUpUs?: number;
  /** Virtual FLOPs per proxy FLOP: the virtual model sets compute time (DESIGN: Learning). Default 1. */
  flopsScale?: number;
}

export function worldTransport(env: Environment, world: World, options: WorldTransportOptions): DisputeTransport {
  const retryUs = options.retryUs ?? 1_000_000;
  const maxBackoffUs = options.maxBackoffUs ?? 300_000_000;
  const giveUpUs = options.giveUpUs ?? 7 * 86_400_000_000;
  return {
    send(from, to, bytes): SimEvent<unknown> {
      const done = env.event<Delivery>(`verde message ${from}->${to}`);
      const a = options.nodeOf(from);
      const b = options.nodeOf(to);
      const start = env.now;
      env.process(
        (function* () {
          for (let backoff = retryUs; ; backoff = Math.min(2 * backoff, maxBackoffUs)) {
            const d: Delivery = yield world.network.send(a, b, bytes);
            if (d.delivered) {
              done.succeed(d);
              return;
            }
            if (env.now - start + backoff > giveUpUs) return;
            yield env.timeout(backoff);
          }
        })(),
      );
      return done;
    },
    computeTimeUs: (id, flops) => world.computeTimeUs(options.nodeOf(id), flops * (options.flopsScale ?? 1)),
  };
}
