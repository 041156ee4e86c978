// Regions and a real-world inter-region latency matrix (one-way ms = half the median RTT between
// public cloud regions of those metros, rounded; e.g. Virginia-Oregon ~62 ms RTT).
import { ConfigError } from "../errors.ts";

export const REGION_NAMES = [
  "us-east", // N. Virginia
  "us-west", // Oregon / N. California
  "eu-west", // Ireland / London
  "eu-central", // Frankfurt
  "ap-northeast", // Tokyo
  "ap-southeast", // Singapore
  "ap-south", // Mumbai
  "sa-east", // Sao Paulo
  "af-south", // Cape Town
  "oc-east", // Sydney
] as const;
export type RegionName = (typeof REGION_NAMES)[number];

// Median round-trip times in ms, upper triangle in REGION_NAMES order.
const RTT_MS: number[][] = [
  //  use  usw  euw  euc  apne apse aps  sae  afs  oce
  [2, 62, 68, 90, 148, 215, 185, 115, 225, 198], // us-east
  [0, 2, 125, 145, 98, 165, 215, 175, 285, 140], // us-west
  [0, 0, 2, 25, 205, 175, 120, 180, 160, 255], // eu-west
  [0, 0, 0, 2, 225, 160, 110, 205, 155, 245], // eu-central
  [0, 0, 0, 0, 2, 70, 130, 255, 355, 110], // ap-northeast
  [0, 0, 0, 0, 0, 2, 60, 325, 270, 92], // ap-southeast
  [0, 0, 0, 0, 0, 0, 2, 300, 250, 150], // ap-south
  [0, 0, 0, 0, 0, 0, 0, 2, 340, 310], // sa-east
  [0, 0, 0, 0, 0, 0, 0, 0, 2, 410], // af-south
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 2], // oc-east
];

export function isRegionName(name: string): name is RegionName {
  return (REGION_NAMES as readonly string[]).includes(name);
}

export function regionIndex(name: string): number {
  const i = (REGION_NAMES as readonly string[]).indexOf(name);
  if (i < 0) throw new ConfigError(`unknown region '${name}'; known: ${REGION_NAMES.join(", ")}`);
  return i;
}

/** One-way latency in microseconds between two regions (symmetric). */
export function regionLatencyUs(a: number, b: number): number {
  const rtt = a <= b ? RTT_MS[a][b] : RTT_MS[b][a];
  return rtt * 500; // half the RTT, ms -> us
}

/** Dense one-way latency table [a * R + b] in microseconds, for the network's hot path. */
export function latencyTableUs(): Int32Array {
  const R = REGION_NAMES.length;
  const t = new Int32Array(R * R);
  for (let a = 0; a < R; a++) for (let b = 0; b < R; b++) t[a * R + b] = regionLatencyUs(a, b);
  return t;
}
