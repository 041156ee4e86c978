// Churn: each churning node alternates up and down periods drawn from its own counter-based
// stream (purpose ("world", "churn"), indexed by node id). Pending transitions live in a
// NodeCalendar (typed arrays, one kernel timeout), so a million nodes stay cheap. A node starts up with probability E[up] / (E[up] + E[down]) (the stationary
// availability), so availability does not drift at the start of a run.
import type { Environment, RngStreams } from "../des/index.ts";
import { CounterStream } from "./counterStream.ts";
import { NodeCalendar } from "./nodeCalendar.ts";
import { meanDurationUs, sampleDurationUs } from "./distribution.ts";
import type { ChurnSpec } from "./spec.ts";

export interface ChurnTarget {
  setAvailable(id: number, available: boolean, reason: string): void;
}

export class Churn {
  private readonly env: Environment;
  private readonly target: ChurnTarget;
  private readonly specs: (ChurnSpec | undefined)[];
  private readonly draws: CounterStream;
  private readonly up: Uint8Array;
  private readonly calendar: NodeCalendar;
  /** Transitions so far. */
  transitions = 0;

  constructor(env: Environment, streams: RngStreams, target: ChurnTarget, nodeCount: number) {
    this.env = env;
    this.target = target;
    this.up = new Uint8Array(nodeCount);
    this.specs = new Array(nodeCount).fill(undefined);
    this.draws = new CounterStream(streams, nodeCount, "world", "churn");
    this.calendar = new NodeCalendar(env, nodeCount, (id) => this.flip(id));
  }

  /** Starts churn for one node; returns whether it starts up. */
  add(id: number, spec: ChurnSpec): boolean {
    this.specs[id] = spec;
    const mu = meanDurationUs(spec.up);
    const md = meanDurationUs(spec.down);
    const pUp = Number.isFinite(mu) ? mu / (mu + md) : 1;
    const startsUp = this.draws.uniform(id) < pUp;
    this.up[id] = startsUp ? 1 : 0;
    this.schedule(id);
    return startsUp;
  }

  /** Stops churn for a node (it keeps its current state). */
  stop(id: number): void {
    this.calendar.cancel(id);
  }

  private schedule(id: number): void {
    const spec = this.specs[id]!;
    const d = sampleDurationUs(this.draws.of(id), this.up[id] ? spec.up : spec.down);
    this.calendar.schedule(id, this.env.now + d);
  }

  private flip(id: number): void {
    this.up[id] ^= 1;
    this.transitions++;
    this.target.setAvailable(id, this.up[id] === 1, "churn");
    this.schedule(id);
  }
}
