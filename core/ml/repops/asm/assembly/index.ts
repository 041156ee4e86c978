// Entry point of the RepOps WebAssembly module: every exported kernel (built by build.ts).
export { matmul, matmulWorkFloats } from "./matmul";
export {
  binary, scale, axpy, addBias, relu, reluGrad, gelu, geluGrad, softmaxRows, logSoftmaxRows,
  softmaxRowsGrad, sumRows, sumCols, layerNorm, layerNormGrad, adamw,
} from "./elementwise";
export { exp64, tanh64, log64 } from "./math";
export { mapF64x2 } from "./vmath";
