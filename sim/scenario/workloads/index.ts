// Every workload kind a scenario can name (`workload: {kind: ...}`). Each owner adds one import
// and one entry per kind; keep entries sorted by kind.
import { gossipEntry } from "./gossip.ts";
import { gossipMarketEntry } from "./gossipMarket.ts";
import { ddpEntry, dilocoEntry, hdeeEntry, nolocoEntry, streamingDilocoEntry, trainCompareEntry } from "../../../core/train/workloads.ts";
import { tokenomicsEntry } from "../../../core/econ/tokenomicsWorkload.ts";
import { marketEntry } from "../../chain/marketEntry.ts";
import { protocolEntry } from "../../chain/protocolEntry.ts";
import { delphiEntry } from "../../chain/delphiEntry.ts";
import { inferenceEntry } from "../../chain/inferenceEntry.ts";
import { rlswarmEntry } from "../../chain/rlswarmEntry.ts";
import { verdeDisputesEntry } from "../../../core/verde/disputesWorkload.ts";
import { skippipeEntry } from "../../../core/train/skippipe/workload.ts";
import type { WorkloadEntry } from "./entry.ts";

export type { WorkloadEntry } from "./entry.ts";

export const workloads: Readonly<Record<string, WorkloadEntry>> = {
  ddp: ddpEntry,
  delphi: delphiEntry,
  diloco: dilocoEntry,
  gossip: gossipEntry,
  "gossip-market": gossipMarketEntry,
  hdee: hdeeEntry,
  inference: inferenceEntry,
  market: marketEntry,
  noloco: nolocoEntry,
  protocol: protocolEntry,
  rlswarm: rlswarmEntry,
  skippipe: skippipeEntry,
  "streaming-diloco": streamingDilocoEntry,
  tokenomics: tokenomicsEntry,
  "train-compare": trainCompareEntry,
  "verde-disputes": verdeDisputesEntry,
};
