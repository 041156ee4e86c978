// Honest parties on different hardware run different real kernels (REFERENCE §2): a map from a
// node's hardware type to the backend it computes on, e.g. {h100: repops-tree, rtx4090: tfjs-cpu,
// default: repops}. Shared by every workload whose providers re-execute each other's work
// (market jobs, training contributions, verde-disputes), so a scenario says it the same way.
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { getBackend, type Backend } from "../ml/backend.ts";
import { HARDWARE_NAMES } from "../world/hardware.ts";

const backendName = z.string().regex(/^[a-z0-9-]{1,32}$/, { error: "expected a backend name such as repops, repops-fma, tfjs-cpu" });

/** Hardware type (or `default`) -> backend name; empty = every node on the run's backend. */
export const kernelsByHardwareSchema = z.record(z.string(), backendName).superRefine((map, ctx) => {
  const known = [...HARDWARE_NAMES, "default"];
  for (const key of Object.keys(map).sort())
    if (!known.includes(key)) ctx.addIssue({ code: "custom", path: [key], message: `unknown hardware ${JSON.stringify(key)}; known: ${known.join(", ")}` });
});
export type KernelsByHardware = z.infer<typeof kernelsByHardwareSchema>;

/** Loads every backend the map names (and RepOps, the referee's), naming the key of one that fails. */
export async function loadKernels(map: KernelsByHardware, where: string): Promise<Map<string, Backend>> {
  const loaded = new Map<string, Backend>([["repops", await getBackend("repops")]]);
  for (const key of Object.keys(map).sort()) {
    const name = map[key];
    if (loaded.has(name)) continue;
    try {
      loaded.set(name, await getBackend(name));
    } catch (e) {
      throw new ConfigError(`${where}.${key}: ${(e as Error).message}`);
    }
  }
  return loaded;
}

/** The backend a node of `hardware` runs: its entry, else `default`, else `fallback`. */
export function kernelFor(map: KernelsByHardware, loaded: ReadonlyMap<string, Backend>, hardware: string, fallback: Backend): Backend {
  const name = map[hardware] ?? map.default;
  if (name === undefined) return fallback;
  const b = loaded.get(name);
  if (!b) throw new ConfigError(`backend ${JSON.stringify(name)} for ${hardware} nodes is not loaded (loaded: ${[...loaded.keys()].join(", ")})`);
  return b;
}
