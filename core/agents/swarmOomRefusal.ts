// A node whose device cannot hold the policy while training refuses to join, as OOM does on
// small GPUs (rl-swarm #405, #218): memory needed = parameters x training bytes per parameter.
export interface MemoryFit {
  fits: boolean;
  needBytes: number;
  haveBytes: number;
}

export function policyFits(parameters: number, trainingBytesPerParameter: number, memoryBytes: number): MemoryFit {
  const needBytes = parameters * trainingBytesPerParameter;
  return { fits: needBytes <= memoryBytes, needBytes, haveBytes: memoryBytes };
}
