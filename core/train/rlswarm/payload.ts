// What a node publishes each round (REFERENCE §7, SAPO Alg. 1): one payload per question with the
// question, its gold answer, metadata and exactly L decoded completions. Receivers validate every
// payload before use and reject a malformed one with a reason (the public swarm's most reported
// crash was a node failing on such a payload): validation never throws.

export interface Payload {
  /** Publisher's peer id. */
  peer: string;
  round: number;
  /** Index of the question in the publisher's round (0..I-1). */
  index: number;
  question: string;
  answer: string;
  /** Publisher's reward signal of its previous round (the v1 rewards key; self-reported). */
  reward: number;
  /** Exactly L completions. */
  completions: string[];
  /** v1 (stages: 3): the stage (0 answer, 1 critique, 2 resolve); absent in v2. */
  stage?: number;
}

/** Why a payload was rejected (the counted reasons). */
export const REJECT_REASONS = [
  "not-an-object", "missing-field", "wrong-type", "wrong-round", "wrong-count", "oversize", "bad-text",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type Validated = { ok: true; payload: Payload } | { ok: false; reason: RejectReason; detail: string };

export interface PayloadLimits {
  /** Completions per question (L). */
  L: number;
  round: number;
  /** Longest accepted question, answer or completion, in characters. */
  maxChars: number;
  /** v1: the stage being gathered (payloads must carry it). */
  stage?: number;
}

const FIELDS = ["peer", "round", "index", "question", "answer", "reward", "completions"] as const;

const reject = (reason: RejectReason, detail: string): Validated => ({ ok: false, reason, detail });

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `array(${v.length})`;
  return typeof v;
}

/** Checks an untrusted value received from a peer. Never throws, whatever the value. */
export function validatePayload(raw: unknown, limits: PayloadLimits): Validated {
  try {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return reject("not-an-object", `got ${describe(raw)}`);
    const o = raw as Record<string, unknown>;
    for (const f of FIELDS) if (!Object.prototype.hasOwnProperty.call(o, f)) return reject("missing-field", `no ${f}`);
    for (const f of ["peer", "question", "answer"] as const) {
      if (typeof o[f] !== "string") return reject("wrong-type", `${f}: expected string, got ${describe(o[f])}`);
    }
    for (const f of ["round", "index"] as const) {
      if (!Number.isSafeInteger(o[f]) || (o[f] as number) < 0) return reject("wrong-type", `${f}: expected a non-negative integer, got ${describe(o[f])}`);
    }
    if (typeof o.reward !== "number" || !Number.isFinite(o.reward)) return reject("wrong-type", `reward: expected a finite number, got ${describe(o.reward)}`);
    if (!Array.isArray(o.completions)) return reject("wrong-type", `completions: expected an array, got ${describe(o.completions)}`);
    if (o.round !== limits.round) return reject("wrong-round", `round ${o.round as number}, gathering ${limits.round}`);
    if (limits.stage !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(o, "stage")) return reject("missing-field", "no stage");
      if (o.stage !== limits.stage) return reject("wrong-round", `stage ${describe(o.stage) === "number" ? (o.stage as number) : describe(o.stage)}, gathering ${limits.stage}`);
    }
    if (o.completions.length !== limits.L) return reject("wrong-count", `${o.completions.length} completions, expected L = ${limits.L}`);
    for (let i = 0; i < o.completions.length; i++) {
      if (typeof o.completions[i] !== "string") return reject("wrong-type", `completions[${i}]: expected string, got ${describe(o.completions[i])}`);
    }
    const texts = [o.peer, o.question, o.answer, ...(o.completions as string[])] as string[];
    for (const t of texts) if (t.length > limits.maxChars) return reject("oversize", `a text of ${t.length} characters > ${limits.maxChars}`);
    if ((o.peer as string).length === 0 || (o.question as string).length === 0) return reject("bad-text", "empty peer or question");
    return {
      ok: true,
      payload: {
        peer: o.peer as string, round: o.round as number, index: o.index as number, question: o.question as string,
        answer: o.answer as string, reward: o.reward as number, completions: [...(o.completions as string[])],
        ...(limits.stage !== undefined ? { stage: limits.stage } : {}),
      },
    };
  } catch (err) {
    // A hostile object (throwing getter, proxy) is a malformed payload too.
    return reject("not-an-object", `reading it threw: ${String(err).slice(0, 80)}`);
  }
}

/** Bytes on the wire of a payload: its decoded text, `tokensPerCompletion` virtual tokens of 4 bytes each. */
export function payloadBytes(L: number, tokensPerCompletion: number): number {
  return 256 + 4 * L * tokensPerCompletion;
}
