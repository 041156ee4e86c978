// Churn: each churning node alternates up and down periods drawn from its own named stream
// ("node", id, "churn"). One pending timer per churning node, no process objects, so a million
// nodes stay cheap. A node starts up with probability E[up] / (E[up] + E[down]) (the stationary
// availability), so availability does not drift at the start of a run.
import type { Environment, Rng, RngStreams, SimEvent } from "../des/index.ts";
import { Timeout } from "../des/index.ts";
import { meanDurationUs, sampleDurationUs } from "./distribution.ts";
import type { ChurnSpec } from "./spec.ts";

export interface ChurnTarget {
  setAvailable(id: number, available: boolean, reason: string): void;
}

export class Churn {
  private readonly env: Environment;
  private readonly streams: RngStreams;
  private readonly target: ChurnTarget;
  private readonly specs: (ChurnSpec | undefined)[] = [];
  private readonly rngs: (Rng | undefined)[] = [];
  private readonly up: Uint8Array;
  private readonly onTimer = (ev: SimEvent<any>) => this.flip(ev.value as number);
  /** Transitions so far. */
  transitions = 0;

  constructor(env: Environment, streams: RngStreams, target: ChurnTarget, nodeCount: number) {
    this.env = env;
    this.streams = streams;
    this.target = target;
    this.up = new Uint8Array(nodeCount);
  }

  /** Starts churn for one node; returns whether it starts up. */
  add(id: number, spec: ChurnSpec): boolean {
    const rng = this.streams.stream("node", id, "churn");
    this.specs[id] = spec;
    this.rngs[id] = rng;
    const mu = meanDurationUs(spec.up);
    const md = meanDurationUs(spec.down);
    const pUp = Number.isFinite(mu) ? mu / (mu + md) : 1;
    const startsUp = rng.random() < pUp;
    this.up[id] = startsUp ? 1 : 0;
    this.schedule(id);
    return startsUp;
  }

  private schedule(id: number): void {
    const spec = this.specs[id]!;
    const d = sampleDurationUs(this.rngs[id]!, this.up[id] ? spec.up : spec.down);
    new Timeout<number>(this.env, d, id).addCallback(this.onTimer);
  }

  private flip(id: number): void {
    this.up[id] ^= 1;
    this.transitions++;
    this.target.setAvailable(id, this.up[id] === 1, "churn");
    this.schedule(id);
  }
}
