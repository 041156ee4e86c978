// The resolved description of a world (times in integer microseconds), as the scenario gives it.
import type { DurationDistribution } from "./distribution.ts";
import type { HardwareName } from "./hardware.ts";
import type { LinkName } from "./links.ts";
import type { Mix } from "./mix.ts";
import type { Sharing } from "./network.ts";
import type { RegionName } from "./regions.ts";

export interface ChurnSpec {
  /** Share of the nodes (of a group) that churn, 0..1. */
  fraction: number;
  /** How long a node stays up, then down. */
  up: DurationDistribution;
  down: DurationDistribution;
}

export interface NodeGroupSpec {
  count: number;
  hardware: Mix<HardwareName>;
  regions: Mix<RegionName>;
  link: Mix<LinkName>;
  /** A share of nodes computes `factor` times slower. */
  slow?: { fraction: number; factor: number };
  /** Overrides the world's churn for this group; null = these nodes never churn. */
  churn?: ChurnSpec | null;
  /** Sigma of the log-normal jitter on this group's compute times; default WorldSpec.computeJitter. */
  computeJitter?: number;
}

export interface PartitionSpec {
  at: number;
  duration: number;
  /** Regions in different groups cannot reach each other; unlisted regions are unaffected. */
  groups: RegionName[][];
}

export interface WorldSpec {
  groups: NodeGroupSpec[];
  /** corrupt: probability that a delivered message is malformed (default 0); sharing: bandwidth sharing (default max-min). */
  network: { loss: number; jitter: number; partitions: PartitionSpec[]; corrupt?: number; sharing?: Sharing };
  churn: ChurnSpec | null;
  /** Default sigma of the log-normal multiplicative jitter on compute times (0 = exact). */
  computeJitter: number;
}
