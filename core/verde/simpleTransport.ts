// A DisputeTransport without a world: fixed latency plus bytes over a fixed bandwidth, compute at
// a fixed rate. For tests and for disputes outside a modelled network.
import { micros, type Environment } from "../des/index.ts";
import type { DisputeTransport } from "./disputeGame.ts";

export interface SimpleTransportOptions {
  latencyS?: number;
  bytesPerS?: number;
  flopsPerS?: number;
}

export function simpleTransport(env: Environment, options: SimpleTransportOptions = {}): DisputeTransport {
  const { latencyS = 0.05, bytesPerS = 12.5e6, flopsPerS = 1e12 } = options;
  return {
    send: (_from, _to, bytes) => env.timeout(micros(latencyS + bytes / bytesPerS)),
    computeTimeUs: (_node, flops) => micros(flops / flopsPerS),
  };
}
