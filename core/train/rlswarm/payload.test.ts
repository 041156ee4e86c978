// Malformed payloads are rejected with a reason and never crash a receiver (rl-swarm #479, #471).
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { malform, MALFORMATIONS } from "../../agents/swarmMalformed.ts";
import { REJECT_REASONS, validatePayload, type Payload } from "./payload.ts";

const L = 4;
const limits = { L, round: 7, maxChars: 256 };
const good = (i = 0): Payload => ({ peer: `peer${i}`, round: 7, index: i, question: "a3+5=", answer: "8", reward: 2, completions: ["8.", "9.", "8.", "1"] });

describe("validatePayload", () => {
  test("accepts a well-formed payload and copies it", () => {
    const v = validatePayload(good(), limits);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.payload).toEqual(good());
  });
  test("v1: a stage is required and must be the one gathered", () => {
    const staged = { ...limits, stage: 1 };
    expect(validatePayload({ ...good(), stage: 1 }, staged)).toMatchObject({ ok: true, payload: { stage: 1 } });
    expect(validatePayload(good(), staged)).toMatchObject({ ok: false, reason: "missing-field", detail: "no stage" });
    expect(validatePayload({ ...good(), stage: 2 }, staged)).toMatchObject({ ok: false, reason: "wrong-round", detail: "stage 2, gathering 1" });
    expect(validatePayload({ ...good(), stage: "1" }, staged)).toMatchObject({ ok: false, reason: "wrong-round" });
  });
  test("rejects each malformation kind with its reason (fixed cases)", () => {
    expect(validatePayload(null, limits)).toMatchObject({ ok: false, reason: "not-an-object" });
    expect(validatePayload({ ...good(), completions: ["8."] }, limits)).toMatchObject({ ok: false, reason: "wrong-count" });
    expect(validatePayload({ ...good(), round: 8 }, limits)).toMatchObject({ ok: false, reason: "wrong-round" });
    expect(validatePayload({ ...good(), answer: 8 }, limits)).toMatchObject({ ok: false, reason: "wrong-type" });
    expect(validatePayload({ ...good(), question: "9".repeat(300) }, limits)).toMatchObject({ ok: false, reason: "oversize" });
    const { question: _q, ...missing } = good();
    expect(validatePayload(missing, limits)).toMatchObject({ ok: false, reason: "missing-field" });
    const hostile = Object.defineProperty({ ...good() }, "completions", { enumerable: true, get() { throw new Error("boom"); } });
    expect(validatePayload(hostile, limits)).toMatchObject({ ok: false, reason: "not-an-object" });
  });
  test("fuzz: 12,000 malformed payloads (every kind), zero crashes, every one rejected with a reason", () => {
    const streams = new RngStreams(2026);
    const counts: Record<string, number> = {};
    let n = 0;
    for (let i = 0; i < 12_000; i++) {
      const rng = streams.stream("fuzz", i);
      const kind = MALFORMATIONS[i % MALFORMATIONS.length];
      const raw = malform(good(i % 5), rng, kind);
      const v = validatePayload(raw, limits);
      expect(v.ok).toBe(false);
      if (!v.ok) {
        expect(REJECT_REASONS).toContain(v.reason);
        expect(v.detail.length).toBeGreaterThan(0);
        counts[v.reason] = (counts[v.reason] ?? 0) + 1;
      }
      n++;
    }
    expect(n).toBe(12_000);
    // Every reason the generator can provoke shows up.
    for (const r of ["not-an-object", "missing-field", "wrong-type", "wrong-round", "wrong-count", "oversize", "bad-text"]) expect(counts[r]).toBeGreaterThan(0);
  });
});
