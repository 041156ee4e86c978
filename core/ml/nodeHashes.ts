// Per-node output hashes of one recorded step execution, in topological (= id) order: the
// leaves Verde commits to in phase 2 (REFERENCE §3).
import { ConfigError } from "../errors.ts";
import { type HashAlgorithm, hashTensor } from "./hash.ts";

/**
 * Hash every node output of `values` (from executeGraph(..., {record: true})) for one replica.
 * With several replicas, pick `replica` (values hold replica-major blocks).
 */
export function nodeHashes(values: readonly Float32Array[], replicas = 1, replica = 0, algorithm: HashAlgorithm = "sha256"): Uint8Array[] {
  if (!(Number.isSafeInteger(replica) && replica >= 0 && replica < replicas)) throw new ConfigError(`nodeHashes: replica ${replica} not in [0, ${replicas})`);
  return values.map((v, id) => {
    if (!v) throw new ConfigError(`nodeHashes: node ${id} has no recorded value (execute with record: true)`);
    const size = v.length / replicas;
    return hashTensor(v.subarray(replica * size, (replica + 1) * size), algorithm);
  });
}
