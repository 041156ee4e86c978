// core/world: nodes, hardware, regions, network, churn and partitions.
export { World, MAX_NODES, type ChangeListener, type WorldLog } from "./world.ts";
export { WorldNode } from "./node.ts";
export { Network, DeliveryEvent, SHARING_MODES, type Delivery, type LossReason, type NetworkOptions, type Sharing } from "./network.ts";
export { HARDWARE, HARDWARE_NAMES, hardware, isHardwareName, type Hardware, type HardwareName } from "./hardware.ts";
export { LINKS, LINK_NAMES, link, isLinkName, type LinkProfile, type LinkName } from "./links.ts";
export { REGION_NAMES, regionIndex, regionLatencyUs, isRegionName, type RegionName } from "./regions.ts";
export { apportion, assignMix, type Mix } from "./mix.ts";
export { CounterStream, type Draws } from "./counterStream.ts";
export { sampleDurationUs, meanDurationUs, type DurationDistribution } from "./distribution.ts";
export type { WorldSpec, NodeGroupSpec, ChurnSpec, PartitionSpec } from "./spec.ts";
