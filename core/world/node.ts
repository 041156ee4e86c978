// One simulated machine: where it is, what it computes with, how it connects, whether it is up.
import type { Hardware } from "./hardware.ts";
import type { LinkProfile } from "./links.ts";
import type { RegionName } from "./regions.ts";

export class WorldNode {
  /** Dense id 0..N-1, the index in world.nodes. */
  readonly id: number;
  /** Index of the scenario's node group this node came from. */
  readonly group: number;
  readonly region: RegionName;
  readonly regionIndex: number;
  readonly hardware: Readonly<Hardware>;
  readonly link: Readonly<LinkProfile>;
  /** Uplink / downlink in bytes per microsecond (bits/s / 8e6). */
  readonly upBytesPerUs: number;
  readonly downBytesPerUs: number;
  /** Multiplier >= 1 on compute time (slow nodes). */
  readonly slowdown: number;
  /** Whether churn applies to this node. */
  readonly churns: boolean;
  /** Up and reachable right now (churn, crashes). */
  available = true;

  constructor(
    id: number,
    group: number,
    region: RegionName,
    regionIndex: number,
    hw: Readonly<Hardware>,
    link: Readonly<LinkProfile>,
    slowdown: number,
    churns: boolean,
  ) {
    this.id = id;
    this.group = group;
    this.region = region;
    this.regionIndex = regionIndex;
    this.hardware = hw;
    this.link = link;
    this.upBytesPerUs = link.upBps / 8e6;
    this.downBytesPerUs = link.downBps / 8e6;
    this.slowdown = slowdown;
    this.churns = churns;
  }
}
