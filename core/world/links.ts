// Access-link profiles: a node's uplink/downlink bandwidth and last-mile latency.
// Typical figures for each kind of connection (FCC/Ofcom broadband reports, cloud NIC limits).
import { ConfigError } from "../errors.ts";

export interface LinkProfile {
  name: LinkName;
  /** Uplink in bits/s. */
  upBps: number;
  /** Downlink in bits/s. */
  downBps: number;
  /** Last-mile one-way latency in microseconds (added at each end). */
  accessLatencyUs: number;
}

export const LINK_NAMES = ["datacenter", "cloud", "fiber", "cable", "dsl", "mobile", "satellite"] as const;
export type LinkName = (typeof LINK_NAMES)[number];

const M = 1e6;
const G = 1e9;

export const LINKS: Readonly<Record<LinkName, Readonly<LinkProfile>>> = Object.freeze({
  datacenter: { name: "datacenter", upBps: 25 * G, downBps: 25 * G, accessLatencyUs: 100 },
  cloud: { name: "cloud", upBps: 5 * G, downBps: 5 * G, accessLatencyUs: 250 },
  fiber: { name: "fiber", upBps: 500 * M, downBps: 1 * G, accessLatencyUs: 2_000 },
  cable: { name: "cable", upBps: 20 * M, downBps: 300 * M, accessLatencyUs: 8_000 },
  dsl: { name: "dsl", upBps: 3 * M, downBps: 25 * M, accessLatencyUs: 15_000 },
  mobile: { name: "mobile", upBps: 10 * M, downBps: 50 * M, accessLatencyUs: 25_000 },
  satellite: { name: "satellite", upBps: 15 * M, downBps: 100 * M, accessLatencyUs: 30_000 },
});

export function isLinkName(name: string): name is LinkName {
  return (LINK_NAMES as readonly string[]).includes(name);
}

export function link(name: string): Readonly<LinkProfile> {
  if (!isLinkName(name)) throw new ConfigError(`unknown link profile '${name}'; known: ${LINK_NAMES.join(", ")}`);
  return LINKS[name];
}
