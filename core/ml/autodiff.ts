// Reverse-mode autodiff: emits backward ops into the SAME graph as the forward pass, so a
// training step is one graph whose every node Verde can hash and recompute (REFERENCE §3).
import { ConfigError } from "../errors.ts";
import type { Graph, GraphNode } from "./graph.ts";
import { type Shape, shapeEq, sizeOf } from "./tensor.ts";

/** Sum a gradient of shape `from` down to `to` (a suffix), or pass it through. */
function reduceTo(g: Graph, grad: number, to: Shape): number {
  return shapeEq(g.shapeOf(grad), to) ? grad : g.op("sumLeading", [grad], { shape: [...to] });
}

/** Vector-Jacobian product of one node: the gradient node for each input (null: none). */
function vjp(g: Graph, n: GraphNode, gy: number): (number | null)[] {
  const [a, b] = n.inputs;
  const sa = a === undefined ? [] : g.shapeOf(a);
  const sb = b === undefined ? [] : g.shapeOf(b);
  switch (n.op) {
    case "matmul": {
      const tA = !!n.attrs.transA;
      const tB = !!n.attrs.transB;
      // C = op(A) op(B); the four transpose cases of dA and dB.
      const mm = (x: number, y: number, transA: boolean, transB: boolean) => g.op("matmul", [x, y], { transA, transB });
      if (!tA && !tB) return [mm(gy, b, false, true), mm(a, gy, true, false)];
      if (tA && !tB) return [mm(b, gy, false, true), mm(a, gy, false, false)];
      if (!tA && tB) return [mm(gy, b, false, false), mm(gy, a, true, false)];
      return [mm(b, gy, true, true), mm(gy, a, true, true)];
    }
    case "add":
      return [gy, reduceTo(g, gy, sb)];
    case "sub":
      return [gy, reduceTo(g, g.op("scale", [gy], { s: -1 }), sb)];
    case "mul":
      return [g.op("mul", [gy, b]), reduceTo(g, g.op("mul", [gy, a]), sb)];
    case "scale":
      return [g.op("scale", [gy], { s: n.attrs.s })];
    case "relu":
      return [g.op("reluGrad", [gy, a])];
    case "gelu":
      return [g.op("geluGrad", [gy, a])];
    case "layernorm": {
      const d = [sa[sa.length - 1]];
      const eps = n.attrs.eps;
      const xhat = g.op("lnNormalize", [a], { eps });
      return [
        g.op("layernormGradX", [gy, a, b], { eps }),
        g.op("sumLeading", [g.op("mul", [gy, xhat])], { shape: d }),
        reduceTo(g, gy, d),
      ];
    }
    case "softmaxXent":
      return [g.op("softmaxXentGrad", [gy, a, b]), null];
    case "embedding":
      return [g.op("embeddingGrad", [gy, b], { vocab: sa[0] }), null];
    case "causalSoftmax":
      return [g.op("softmaxGrad", [gy, n.id])];
    case "reshape":
      return [g.op("reshape", [gy], { shape: [...sa] })];
    case "transpose": {
      const perm = n.attrs.perm as readonly number[];
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => (inv[p] = i));
      return [g.op("transpose", [gy], { perm: inv })];
    }
    case "sumAll":
      return [g.op("broadcast", [gy], { shape: [...sa] })];
    case "meanAll":
      return [g.op("broadcast", [g.op("scale", [gy], { s: 1 / sizeOf(sa) })], { shape: [...sa] })];
    case "sumLeading":
      return [g.op("broadcast", [gy], { shape: [...sa] })];
    case "broadcast":
      return [g.op("sumLeading", [gy], { shape: [...sa] })];
    case "grpoCoef":
      // A stop-gradient by definition (opDefs.ts): the coefficient is a per-token constant.
      return [null, null, null];
    default:
      throw new ConfigError(`autodiff: op ${n.op} (node ${n.id}) has no gradient`);
  }
}

/**
 * Append the backward pass of scalar `loss` to `g`; returns, for each id in `wrt`, the id of
 * its gradient node (a zero-filled node when the loss does not depend on it). Contributions to
 * one gradient are added in a fixed order (reverse topological order of their consumers).
 */
export function gradients(g: Graph, loss: number, wrt: readonly number[]): Map<number, number> {
  if (g.shapeOf(loss).length !== 0) throw new ConfigError(`gradients: loss node ${loss} must be a scalar, has shape [${g.shapeOf(loss).join(",")}]`);
  const end = g.nodes.length;
  const depends = new Uint8Array(end);
  for (const w of wrt) depends[g.node(w).id] = 1;
  for (let i = 0; i < end; i++) if (!depends[i] && g.nodes[i].inputs.some((j) => depends[j])) depends[i] = 1;

  const parts = new Map<number, number[]>();
  const addPart = (id: number, grad: number) => {
    const list = parts.get(id);
    if (list) list.push(grad);
    else parts.set(id, [grad]);
  };
  const total = (id: number): number | undefined => {
    const list = parts.get(id);
    if (!list) return undefined;
    let acc = list[0];
    for (let k = 1; k < list.length; k++) acc = g.op("add", [acc, list[k]]);
    parts.set(id, [acc]);
    return acc;
  };
  addPart(loss, g.op("fill", [], { shape: [], value: 1 }));
  for (let i = loss; i >= 0; i--) {
    const n = g.nodes[i];
    if (!depends[i] || n.op === "input") continue;
    const gy = total(i);
    if (gy === undefined) continue;
    const grads = vjp(g, n, gy);
    n.inputs.forEach((inp, k) => {
      const gr = grads[k];
      if (gr !== null && depends[inp]) addPart(inp, gr);
    });
  }
  const out = new Map<number, number>();
  for (const w of wrt) out.set(w, total(w) ?? g.op("fill", [], { shape: [...g.shapeOf(w)], value: 0 }));
  return out;
}
