// Hardware catalog: named devices with peak dense FLOP/s (the precision training uses on that
// device), memory, memory bandwidth and a sustained-efficiency factor (model FLOP utilisation).
// Figures are vendor datasheet peaks; efficiency is a modelling parameter (DESIGN: World).
import { ConfigError } from "../errors.ts";

export interface Hardware {
  name: HardwareName;
  /** Human-readable label for reports. */
  label: string;
  /** Peak dense FLOP/s at the training precision (bf16/fp16 tensor cores; fp32 on CPU). */
  peakFlops: number;
  /** Device memory in bytes (unified memory on Apple silicon, RAM on CPU-only). */
  memoryBytes: number;
  /** Memory bandwidth in bytes/s. */
  memoryBandwidth: number;
  /** Fraction of peak sustained on training workloads (0..1]. */
  efficiency: number;
}

const GB = 1e9;
const GIB = 1_073_741_824; // 2^30
const T = 1e12;

export const HARDWARE_NAMES = ["h100", "a100", "l40s", "rtx4090", "rtx3090", "rtx3060", "m2", "cpu"] as const;
export type HardwareName = (typeof HARDWARE_NAMES)[number];

export const HARDWARE: Readonly<Record<HardwareName, Readonly<Hardware>>> = Object.freeze({
  // NVIDIA H100 SXM5: 989 TFLOP/s bf16 dense, 80 GB HBM3 at 3.35 TB/s.
  h100: { name: "h100", label: "NVIDIA H100 SXM 80GB", peakFlops: 989 * T, memoryBytes: 80 * GIB, memoryBandwidth: 3350 * GB, efficiency: 0.45 },
  // NVIDIA A100 SXM4: 312 TFLOP/s bf16 dense, 80 GB HBM2e at 2.04 TB/s.
  a100: { name: "a100", label: "NVIDIA A100 SXM 80GB", peakFlops: 312 * T, memoryBytes: 80 * GIB, memoryBandwidth: 2039 * GB, efficiency: 0.5 },
  // NVIDIA L40S: 362 TFLOP/s bf16 dense, 48 GB GDDR6 at 864 GB/s.
  l40s: { name: "l40s", label: "NVIDIA L40S 48GB", peakFlops: 362 * T, memoryBytes: 48 * GIB, memoryBandwidth: 864 * GB, efficiency: 0.4 },
  // GeForce RTX 4090: 165 TFLOP/s fp16 dense (fp32 accumulate), 24 GB GDDR6X at 1.01 TB/s.
  rtx4090: { name: "rtx4090", label: "GeForce RTX 4090 24GB", peakFlops: 165 * T, memoryBytes: 24 * GIB, memoryBandwidth: 1008 * GB, efficiency: 0.4 },
  // GeForce RTX 3090: 71 TFLOP/s fp16 dense (fp32 accumulate), 24 GB GDDR6X at 936 GB/s.
  rtx3090: { name: "rtx3090", label: "GeForce RTX 3090 24GB", peakFlops: 71 * T, memoryBytes: 24 * GIB, memoryBandwidth: 936 * GB, efficiency: 0.4 },
  // GeForce RTX 3060: 25.5 TFLOP/s fp16 dense (fp32 accumulate), 12 GB GDDR6 at 360 GB/s.
  rtx3060: { name: "rtx3060", label: "GeForce RTX 3060 12GB", peakFlops: 25.5 * T, memoryBytes: 12 * GIB, memoryBandwidth: 360 * GB, efficiency: 0.35 },
  // Apple M2 (10-core GPU): 3.6 TFLOP/s fp32, 16 GB unified memory at 100 GB/s.
  m2: { name: "m2", label: "Apple M2 16GB", peakFlops: 3.6 * T, memoryBytes: 16 * GIB, memoryBandwidth: 100 * GB, efficiency: 0.5 },
  // CPU-only: 16-core AVX2 server at ~1.2 TFLOP/s fp32, 64 GB DDR4 at 50 GB/s.
  cpu: { name: "cpu", label: "CPU-only 16-core 64GB", peakFlops: 1.2 * T, memoryBytes: 64 * GIB, memoryBandwidth: 50 * GB, efficiency: 0.3 },
});

export function isHardwareName(name: string): name is HardwareName {
  return (HARDWARE_NAMES as readonly string[]).includes(name);
}

export function hardware(name: string): Readonly<Hardware> {
  if (!isHardwareName(name)) throw new ConfigError(`unknown hardware '${name}'; known: ${HARDWARE_NAMES.join(", ")}`);
  return HARDWARE[name];
}
