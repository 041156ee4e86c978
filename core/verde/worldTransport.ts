// DisputeTransport over the world's network model (core/world): real latency, shared bandwidth,
// loss; a lost message is sent again after `retryUs` until it arrives or `maxAttempts` ran out (a down party stays silent
// and its chess clock runs out). Compute time comes from the node's hardware.
import type { Environment, SimEvent } from "../des/index.ts";
import type { Delivery } from "../world/network.ts";
import type { World } from "../world/world.ts";
import type { DisputeTransport } from "./disputeGame.ts";

export interface WorldTransportOptions {
  /** World node of each party id (provider ids and the referee's id). */
  nodeOf(id: string): number;
  retryUs?: number;
  /** Give up after this many attempts (the receiver's deadline decides). */
  maxAttempts?: number;
}

export function worldTransport(env: Environment, world: World, options: WorldTransportOptions): DisputeTransport {
  const retryUs = options.retryUs ?? 1_000_000;
  const maxAttempts = options.maxAttempts ?? 60;
  return {
    send(from, to, bytes): SimEvent<unknown> {
      const done = env.event<Delivery>(`verde message ${from}->${to}`);
      const a = options.nodeOf(from);
      const b = options.nodeOf(to);
      env.process(
        (function* () {
          for (let attempt = 1; ; attempt++) {
            const d: Delivery = yield world.network.send(a, b, bytes);
            if (d.delivered) {
              done.succeed(d);
              return;
            }
            if (attempt >= maxAttempts) return;
            yield env.timeout(retryUs);
          }
        })(),
      );
      return done;
    },
    computeTimeUs: (id, flops) => world.computeTimeUs(options.nodeOf(id), flops),
  };
}
