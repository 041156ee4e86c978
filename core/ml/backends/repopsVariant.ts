// Non-reproducible RepOps variants, "repops-fma" and "repops-tree": honest providers on other
// hardware. Every op runs on the repops backend except the reductions (matmul, sumAll, meanAll,
// sumLeading), which run in the variant's order (variantKernels.ts): the same op, different
// rounding. Deterministic themselves, but their outputs differ from repops', so they are marked
// not reproducible and the referee refuses them (REFERENCE §2, §3).
import { ConfigError } from "../../errors.ts";
import type { Backend } from "../backend.ts";
import type { GraphNode } from "../graph.ts";
import { matmulDims } from "../opDefs.ts";
import { type Shape, sizeOf } from "../tensor.ts";
import { repopsBackend, RepopsValue } from "./repops.ts";
import { matmulVariant, type ReductionVariant, sumAllTree, sumLeadingTree } from "./variantKernels.ts";

export const REPOPS_VARIANTS: readonly ReductionVariant[] = ["fma", "tree"];

/** Ops the variant computes itself: matmul for both; the sums only for "tree" (a sum has no multiply to fuse). */
function hasOwnKernel(variant: ReductionVariant, op: string): boolean {
  return op === "matmul" || (variant === "tree" && (op === "sumAll" || op === "meanAll" || op === "sumLeading"));
}

/** Runs `node` (an op hasOwnKernel accepts) with the variant's reduction into `out`. */
function runReduction(variant: ReductionVariant, node: GraphNode, shapes: readonly Shape[], x: readonly RepopsValue[], R: number, out: RepopsValue): void {
  switch (node.op) {
    case "matmul": {
      const { batch, m, k, n } = matmulDims(shapes[0], shapes[1], node.attrs);
      if (!Number.isInteger(k)) throw new ConfigError(`repops-${variant}: matmul ${node.id} has mismatched inner dimensions ${JSON.stringify(shapes)}`);
      matmulVariant(variant, x[0].view(), x[1].view(), { batch: batch * R, m, k, n, transA: !!node.attrs.transA, transB: !!node.attrs.transB }, out.view());
      return;
    }
    case "sumAll":
      return sumAllTree(x[0].view(), R, out.view());
    case "meanAll": {
      const o = out.view();
      sumAllTree(x[0].view(), R, o);
      const size = sizeOf(shapes[0]);
      for (let r = 0; r < R; r++) o[r] = o[r] / size; // as repops: one division, stored as float32
      return;
    }
    case "sumLeading":
      return sumLeadingTree(x[0].view(), R, sizeOf(node.shape), out.view());
    default:
      throw new ConfigError(`repops-${variant}: no reduction kernel for op ${node.op} (node ${node.id})`);
  }
}

/** A fresh backend instance of the variant (stateless: values live in repops' wasm memory). */
export function createRepopsVariantBackend(variant: ReductionVariant): Backend<RepopsValue> {
  if (!REPOPS_VARIANTS.includes(variant)) throw new ConfigError(`repops variant ${JSON.stringify(variant)} unknown; known: ${REPOPS_VARIANTS.join(", ")}`);
  return {
    name: `repops-${variant}`,
    reproducible: false,
    upload: repopsBackend.upload,
    download: repopsBackend.download,
    dispose: repopsBackend.dispose,
    exec(node, shapes, x, R) {
      if (!hasOwnKernel(variant, node.op)) return repopsBackend.exec(node, shapes, x, R);
      const out = new RepopsValue(R * sizeOf(node.shape)); // allocate first: the views taken after stay valid
      try {
        runReduction(variant, node, shapes, x, R, out);
      } catch (e) {
        out.dispose();
        throw e;
      }
      return out;
    },
  };
}
