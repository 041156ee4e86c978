import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { wrongAnswer } from "../../agents/swarmPoisoner.ts";
import { decodeTokens, encodeText, rewardAgainst, sampleTask, solve, SPECIALTIES } from "./tasks.ts";

describe("swarm tasks", () => {
  test("each specialty solves exactly (fixed cases)", () => {
    expect(solve("a3+5=")).toBe("8");
    expect(solve("l1&0|1=")).toBe("1");
    expect(solve("l1|0&0=")).toBe("0");
    expect(solve("c6+3=")).toBe("2");
    expect(solve("b13=")).toBe("1101");
    expect(solve("f6/8=")).toBe("3/4");
    expect(solve("x1=")).toBeNull();
  });
  test("rewards: exact 1, equal unreduced fraction 0.5, no end mark 0", () => {
    expect(rewardAgainst("8", "8.")).toBe(1);
    expect(rewardAgainst("8", "8")).toBe(0);
    expect(rewardAgainst("3/4", "6/8.")).toBe(0.5);
    expect(rewardAgainst("3/4", "3/5.")).toBe(0);
  });
  test("property (seed 9): sampled tasks round-trip the alphabet, fit the context, and poison is always wrong", () => {
    const streams = new RngStreams(9);
    for (let i = 0; i < 500; i++) {
      const sp = SPECIALTIES[i % SPECIALTIES.length];
      const t = sampleTask(sp, streams.stream("t", i));
      expect(decodeTokens(encodeText(t.prompt))).toBe(t.prompt);
      expect(t.prompt.length + t.answer.length + 1).toBeLessThanOrEqual(12);
      expect(rewardAgainst(t.answer, `${t.answer}.`)).toBe(1);
      expect(rewardAgainst(t.answer, `${wrongAnswer(t.answer, streams.stream("w", i))}.`)).toBeLessThan(1);
    }
  });
});
