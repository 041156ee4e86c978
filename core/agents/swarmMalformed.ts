// Malformed payloads: wrong types, wrong completion counts, missing fields, oversize texts,
// stale rounds, non-objects, hostile objects (rl-swarm #479, #471, PR #165: the swarm's most
// reported crash). Receivers must reject each with a reason and never crash.
import type { Rng } from "../des/rng.ts";
import type { HonestPayload, SwarmBehaviour } from "./swarmBehaviour.ts";

export const MALFORMATIONS = [
  "drop-field", "null-field", "number-as-string", "string-as-number", "wrong-L", "completion-not-string",
  "oversize", "stale-round", "not-an-object", "array", "nan-reward", "negative-index", "throwing-getter", "empty-question",
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

const FIELDS = ["peer", "round", "index", "question", "answer", "reward", "completions"] as const;

/** One malformed version of `p` (kind drawn from `rng` unless given). */
export function malform(p: HonestPayload, rng: Rng, kind: Malformation = MALFORMATIONS[rng.int(MALFORMATIONS.length)]): unknown {
  const o: Record<string, unknown> = { ...p, completions: [...p.completions] };
  const field = FIELDS[rng.int(FIELDS.length)];
  switch (kind) {
    case "drop-field":
      delete o[field];
      return o;
    case "null-field":
      o[field] = null;
      return o;
    case "number-as-string":
      o[rng.int(2) === 0 ? "round" : "index"] = String(p.round);
      return o;
    case "string-as-number":
      o[["peer", "question", "answer"][rng.int(3)]] = rng.int(1000);
      return o;
    case "wrong-L": {
      const n = p.completions.length;
      const len = rng.int(2) === 0 ? rng.int(n) : n + 1 + rng.int(4);
      o.completions = Array.from({ length: len }, (_, i) => p.completions[i % Math.max(1, n)] ?? "1.");
      return o;
    }
    case "completion-not-string":
      (o.completions as unknown[])[rng.int(p.completions.length)] = [{ text: 1 }, null, 7, undefined][rng.int(4)];
      return o;
    case "oversize":
      o[["question", "answer"][rng.int(2)]] = "9".repeat(10_000 + rng.int(10_000));
      return o;
    case "stale-round":
      o.round = p.round + 1 + rng.int(5);
      return o;
    case "not-an-object":
      return [null, undefined, 42, "payload", true][rng.int(5)];
    case "array":
      return [p.question, p.answer, p.completions];
    case "nan-reward":
      o.reward = [NaN, Infinity, "high"][rng.int(3)];
      return o;
    case "negative-index":
      o.index = -1 - rng.int(10);
      return o;
    case "throwing-getter":
      return Object.defineProperty({ ...o }, "completions", { enumerable: true, get() { throw new Error("hostile payload"); } });
    case "empty-question":
      o.question = "";
      return o;
  }
}

export function swarmMalformed(): SwarmBehaviour {
  return {
    kind: "malformed",
    publishes: true,
    slowdown: 1,
    sybilIds: 0,
    publish(honest: readonly HonestPayload[], rng: Rng): unknown {
      // Sometimes the whole put is not even a list.
      if (rng.int(8) === 0) return { payloads: honest.length };
      return honest.map((p) => malform(p, rng));
    },
  };
}
