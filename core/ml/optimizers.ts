// Optimizer updates as graph nodes (DESIGN: Learning): AdamW for inner steps and SGD with
// Nesterov momentum for DiLoCo's outer step (REFERENCE §5). Each update appends its nodes to
// the step graph so Verde can hash and recompute them like any other op.
import { pow } from "../des/math.ts";
import { ConfigError } from "../errors.ts";
import type { Graph } from "./graph.ts";

export interface AdamWConfig {
  kind: "adamw";
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /**
   * Clip the gradients to this global L2 norm over all parameters before the update (torch's
   * clip_grad_norm_; the NoLoCo and DiLoCo reference code clip at 1.0). Absent: no clipping.
   */
  clipNorm?: number;
}

export interface NesterovConfig {
  kind: "nesterov";
  momentum?: number;
}

export type OptimizerConfig = AdamWConfig | NesterovConfig;

/** Feed name of the optimizer's per-step hyperparameter input. */
export const HYPER_INPUT = "opt.hp";
/** Feed name of a state input; the updated value is the output `next:<name>`. */
export const stateName = (slot: "m" | "v" | "buf", param: string) => `opt.${slot}.${param}`;
export const nextName = (input: string) => `next:${input}`;

/**
 * Append the update of each parameter (input id -> gradient id) and mark outputs
 * `next:<param>` and `next:<state>`. Returns the names of the state inputs it declared.
 */
export function appendOptimizer(g: Graph, params: ReadonlyMap<string, { id: number; grad: number }>, cfg: OptimizerConfig): string[] {
  const names = [...params.keys()];
  const states: string[] = [];
  if (cfg.kind === "adamw") {
    const hp = g.input(HYPER_INPUT, [3], "hyper");
    const beta1 = cfg.beta1 ?? 0.9, beta2 = cfg.beta2 ?? 0.999;
    const eps = cfg.eps ?? 1e-8, weightDecay = cfg.weightDecay ?? 0;
    const clip = cfg.clipNorm === undefined ? null : clipCoefficient(g, names.map((n) => params.get(n)!.grad), cfg.clipNorm);
    for (const name of names) {
      const { id } = params.get(name)!;
      const grad = clip === null ? params.get(name)!.grad : g.op("mul", [params.get(name)!.grad, clip]);
      const shape = g.shapeOf(id);
      const m = g.input(stateName("m", name), shape, "state");
      const v = g.input(stateName("v", name), shape, "state");
      const m2 = g.op("adamM", [m, grad], { beta1 });
      const v2 = g.op("adamV", [v, grad], { beta2 });
      const p2 = g.op("adamwParam", [id, m2, v2, hp], { eps, weightDecay });
      g.output(nextName(name), p2);
      g.output(nextName(stateName("m", name)), m2);
      g.output(nextName(stateName("v", name)), v2);
      states.push(stateName("m", name), stateName("v", name));
    }
  } else if (cfg.kind === "nesterov") {
    const hp = g.input(HYPER_INPUT, [1], "hyper");
    const momentum = cfg.momentum ?? 0.9;
    for (const name of names) {
      const { id, grad } = params.get(name)!;
      const buf = g.input(stateName("buf", name), g.shapeOf(id), "state");
      const buf2 = g.op("nesterovBuf", [buf, grad], { momentum });
      const p2 = g.op("nesterovParam", [id, grad, buf2, hp], { momentum });
      g.output(nextName(name), p2);
      g.output(nextName(stateName("buf", name)), buf2);
      states.push(stateName("buf", name));
    }
  } else {
    throw new ConfigError(`appendOptimizer: unknown optimizer kind ${JSON.stringify((cfg as { kind: unknown }).kind)}`);
  }
  return states;
}

/**
 * Global-norm clipping as graph ops, so Verde hashes and the referee recomputes each: per
 * parameter sumAll(g*g) in parameter order, their sum, then clipCoef = min(1, maxNorm /
 * (sqrt(sum) + 1e-6)); the caller multiplies every gradient by it (a scalar per replica).
 */
function clipCoefficient(g: Graph, grads: readonly number[], maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new ConfigError(`appendOptimizer: clipNorm must be a finite number > 0, got ${maxNorm}`);
  let total = -1;
  for (const grad of grads) {
    const s = g.op("sumAll", [g.op("mul", [grad, grad])]);
    total = total < 0 ? s : g.op("add", [total, s]);
  }
  return g.op("clipCoef", [total], { maxNorm });
}

/**
 * The hyperparameter feed for step t (1-based) and learning rate lr: AdamW [lr, 1-beta1^t,
 * 1-beta2^t]; Nesterov [lr]. Bias corrections use the reproducible pow of core/des/math.
 */
export function optimizerHyper(cfg: OptimizerConfig, t: number, lr: number): Float32Array {
  if (!Number.isSafeInteger(t) || t < 1) throw new ConfigError(`optimizerHyper: step must be an integer >= 1, got ${t}`);
  if (cfg.kind === "nesterov") return Float32Array.of(lr);
  return Float32Array.of(lr, 1 - pow(cfg.beta1 ?? 0.9, t), 1 - pow(cfg.beta2 ?? 0.999, t));
}
