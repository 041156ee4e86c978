// Sybil: one account registers many peer ids (the public coordinator allows any number per
// account, and the modal-login proxy gives one smart account many peers) and each votes for the
// account's own ids as round winners, inflating its total wins.
import type { SwarmBehaviour } from "./swarmBehaviour.ts";

export const swarmSybil = (ids: number): SwarmBehaviour => ({ kind: "sybil", publishes: true, slowdown: 1, sybilIds: ids });
