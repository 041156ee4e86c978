// Scenario schema of the `gossip` workload (heartbeats and push-gossip rumors; core/world/gossip.ts).
import { z } from "zod";
import { gossipWorkload, type GossipParams } from "../../../core/world/gossip.ts";
import { duration } from "../duration.ts";
import type { WorkloadEntry } from "./entry.ts";

const schema = z.strictObject({
  heartbeat: z
    .strictObject({
      interval: duration({ min: 1000 }).prefault("1m"),
      fanout: z.int().min(1).max(1000).default(2),
      bytes: z.int().min(0).max(1e9).default(256),
    })
    .prefault({}),
  rumor: z
    .union([
      z.literal(false).transform(() => null),
      z.strictObject({
        interval: duration({ min: 1000 }).prefault("10m"),
        fanout: z.int().min(1).max(1000).default(4),
        bytes: z.int().min(0).max(1e9).default(1024),
        ttl: duration({ min: 1000 }).prefault("2m"),
      }),
    ])
    .prefault({}),
  sampleEvery: duration({ min: 1000 }).prefault("10m").meta({ description: "Interval of metrics.csv samples" }),
  traceMessages: z.boolean().default(false).meta({ description: "Trace every heartbeat delivery (large)" }),
});

export const gossipEntry: WorkloadEntry<GossipParams> = { schema, workload: gossipWorkload };
