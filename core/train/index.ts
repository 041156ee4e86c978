// core/train: training workloads as process families on the kernel (DESIGN: Learning; REFERENCE
// §5, §8, §10). How the pieces fit:
//   Update rules, pure on Float32Array: outerStep.ts (DiLoCo pseudo-gradient + outer Nesterov SGD),
//     noloco.ts (random groups seeded by the step + the NoLoCo update), quantize.ts (few-bit outer
//     gradients), adamw.ts (inner optimizer of the builtin engine).
//   Collectives over world.network.send: collectives.ts (ring / tree all-reduce, gossip groups),
//     every hop a real transfer; armSetup.syncAllReduce retries without nodes that went down.
//   State: replicaSet.ts holds every worker's weights replica-first and runs batched inner steps
//     on the run's ML backend (graphEngine.ts: ML-ENGINE graph, runResidentSteps) or on the
//     builtin kernels (replicaMlp.ts); proxyTask.ts makes the teacher corpus and (non-)iid shards.
//     NoLoCo's random routing: routedMlp.ts (the proxy as two stages, examples routed between
//     replicas) stepped in lockstep by routedInnerSteps.ts.
//   Arms: ddpArm, dilocoArm, streamingDilocoArm, nolocoArm, hdeeArm; trainCompare runs several on
//     the same nodes; workloads.ts registers the kinds; trainAccount.ts turns an arm's virtual-time
//     bookkeeping into its summary. Two scales (armSetup.scalesFor): the proxy MLP is trained, the
//     `virtual:` model sets FLOPs per step and bytes on the wire.
//   Churn: DiLoCo, Streaming DiLoCo and NoLoCo follow world.onChange / available (lost
//   contributions, rejoins fetching weights); DDP retries its all-reduce without nodes that left.
//   trainTestWorld.ts is the tests' small real world (6 H100s, outages by hand).
export { DILOCO_OUTER, outerSgdStep, pseudoGradient, type OuterSgdConfig } from "./outerStep.ts";
export { NOLOCO_OUTER, nolocoGroupUpdate, pairRanks, meanPairwiseDistance, replicaWeightStd } from "./noloco.ts";
export { drawRoutes, routedLossAndGrad, stageRanges } from "./routedMlp.ts";
export { RoutedInnerSteps } from "./routedInnerSteps.ts";
export { quantizeInPlace, quantizedBytes } from "./quantize.ts";
export { ADAMW_DEFAULTS, adamwStep, type AdamWConfig } from "./adamw.ts";
export { groupExchange, ringAllReduce, treeAllReduce, allReduce, TrafficLedger, type Transport, type AllReduceAlgorithm } from "./collectives.ts";
export { makeTask, makeShards, fillBatch, type ProxyTask, type TaskConfig, type Examples } from "./proxyTask.ts";
export { ReplicaMlp, type MlpShape } from "./replicaMlp.ts";
export { ReplicaSet } from "./replicaSet.ts";
export { GraphEngine, paramLayout } from "./graphEngine.ts";
export { scalesFor, type Scales, type ArmRun } from "./armSetup.ts";
export { ddpArm } from "./ddpArm.ts";
export { dilocoArm } from "./dilocoArm.ts";
export { streamingDilocoArm } from "./streamingDilocoArm.ts";
export { nolocoArm } from "./nolocoArm.ts";
export { hdeeArm, allocate } from "./hdeeArm.ts";
export { trainCompare, startArm, parseArms } from "./trainCompare.ts";
export type { TrainContext, TrainWorld } from "./trainContext.ts";
export * from "./trainParams.ts";
