// core/ml: tensor graph IR, autodiff, backends, models, data, accounting (DESIGN: Learning).
//
// How the pieces fit (shapes are per replica; every execution runs R replicas, replica dim first):
//   const step = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw" });
//     one Graph holding forward, backward (autodiff) and optimizer-update nodes; node id ==
//     topological index; step.phases gives the forward/backward/update id ranges.
//   const backend = await getBackend("repops")            // or "tfjs-cpu", "tfjs-wasm" (needs
//     options.wasmDir; sim/ml/backendOptions.ts supplies it); registerBackend() adds e.g. "webgpu".
//   const trainer = new ReplicaTrainer(step, backend, R, initParams(step.params, streams.stream("init")));
//   trainer.run({ tokens, targets }, lr) -> { loss: Float32Array(R) }; trainer.state holds params
//     and optimizer state (R * size each, never mutated in place); trainer.replicaHash(r).
// For Verde (REFERENCE §3):
//   executeGraph(graph, backend, feeds, { replicas: 1, record: true }).values[id] is every node's
//     output; nodeHashes(values) hashes them in topological order.
//   evalNode(graph, nodeId, inputs) recomputes ONE node on repops from its input tensors
//     (graph.node(id).inputs gives the producing node ids, in order).
// Data-parallel training: buildTrainStep(model, null) outputs grad:<param>; buildUpdateStep
//   applies an optimizer to given gradients (e.g. DiLoCo's outer Nesterov step).
// Pipeline stages: buildTrainStep(transformerStageModel(cfg, from, to), opt); an inner stage is fed
//   "acts.grad" (upstream gradient) and outputs "acts.out"; a stage after the first takes "acts"
//   and outputs grad:acts. Stages chained this way equal the full model bit for bit on repops.
// RL on verifiable tasks: TransformerConfig.weighted adds a per-token "weights" input (masks or
//   advantages); generate() samples completions; data/arithmeticTasks.ts scores them (rewardOf).
export { Tensor, type Shape, sizeOf, shapeEq, isSuffix } from "./tensor.ts";
export { Graph, type GraphNode, type InputKind } from "./graph.ts";
export { OPS, type OpName, type Attrs, matmulDims } from "./opDefs.ts";
export { gradients } from "./autodiff.ts";
export { type Backend, type BackendOptions, type BackendFactory, getBackend, registerBackend, backendNames, setBackendDefaults } from "./backend.ts";
export { repopsBackend } from "./backends/repops.ts";
export { executeGraph, evalNode, type Feeds, type ExecuteOptions, type ExecuteResult } from "./execute.ts";
export { nodeHashes } from "./nodeHashes.ts";
export {
  type OptimizerConfig, type AdamWConfig, type NesterovConfig, appendOptimizer, optimizerHyper, HYPER_INPUT, stateName, nextName,
} from "./optimizers.ts";
export { type ParamSpec, type ParamInit, type ModelBuild, type ModelBuilder, param, initParams, paramCount } from "./model.ts";
export { type TrainStepGraph, buildTrainStep, buildUpdateStep, buildEvalGraph, gradName } from "./trainStep.ts";
export { ReplicaTrainer, type StepResult } from "./replicaTrainer.ts";
export { buildMlp, type MlpConfig } from "./models/mlp.ts";
export {
  buildTransformerLM, buildTransformerStage, transformerStageModel, transformerBlock, transformerEmbed, transformerHead, type TransformerConfig,
} from "./models/transformer.ts";
export { MarkovCorpus, type MarkovCorpusConfig, type TokenWindows } from "./data/markovCorpus.ts";
export { GaussianMixture, dirichletClassWeights, dirichletShards, type GaussianMixtureConfig, type LabelledBatch } from "./data/gaussianMixture.ts";
export * as arithmetic from "./data/arithmeticTasks.ts";
export { generate, type GenerateOptions } from "./generate.ts";
export { nodeCost, graphCost, stepCost, type NodeCost, type GraphCost, type StepCost, FLOAT32_BYTES } from "./accounting.ts";
