// v1's derived stage tasks against hand-worked cases.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { pickShown, stageSlot } from "./stagedRound.ts";
import { critiquePrompt, critiqueReward, formatExample, resolvePrompt, shownAnswer, STAGED_CONTEXT, stageReward } from "./stagedTasks.ts";
import { encodeText } from "./tasks.ts";

describe("v1 stage tasks", () => {
  test("prompts: the question, the shown answers joined by *, then - (critique) or = (resolve)", () => {
    expect(critiquePrompt("a3+5=", ["8", "7", "9"])).toBe("a3+5=8*7*9-");
    expect(resolvePrompt("f2/4=", ["1/2", "2/4"])).toBe("f2/4=1/2*2/4=");
    expect(shownAnswer("110.junk")).toBe("110");
    expect(shownAnswer("1&x/23456")).toBe("1/23"); // digits and / only, at most 4 characters
  });
  test("critique reward: the chosen answer's quality; 'none' (index = count) only when all are wrong", () => {
    expect(critiqueReward("8", ["8", "7", "9"], "0.")).toBe(1);
    expect(critiqueReward("8", ["8", "7", "9"], "1.")).toBe(0);
    expect(critiqueReward("1/2", ["2/4", "1/2"], "0.")).toBe(0.5); // unreduced but equal: partial credit
    expect(critiqueReward("8", ["8", "7", "9"], "3.")).toBe(0); // "none" while answer 0 is right
    expect(critiqueReward("8", ["6", "7"], "2.")).toBe(1); // "none" and all are wrong
    expect(critiqueReward("8", ["6", "7"], "4.")).toBe(0); // out of range
    expect(critiqueReward("8", ["8"], "0")).toBe(0); // no end mark
    expect(critiqueReward("8", ["8"], "00.")).toBe(0); // not one digit
    expect(stageReward(2, "8", ["7"], "8.")).toBe(1); // resolve: the final answer's correctness
    expect(stageReward(0, "8", [], "7.")).toBe(0);
  });
  test("shown answers: the top 3 by self-reported reward, ties by peer id", () => {
    const xs = [{ peer: "p3", reward: 2, answer: "a" }, { peer: "p1", reward: 2, answer: "b" }, { peer: "p2", reward: 5, answer: "c" }, { peer: "p0", reward: 0, answer: "d" }];
    expect(pickShown(xs)).toEqual(["c", "b", "a"]);
    expect(stageSlot(4, 2)).toBe(14);
  });
  test("warm-start examples fit the v1 context and stay in the alphabet (seed 2, 300 draws)", () => {
    const streams = new RngStreams(2);
    for (let i = 0; i < 300; i++) {
      const ex = formatExample(i % 3, streams.stream("fmt", i));
      expect(encodeText(ex.prompt).length + encodeText(ex.completion).length).toBeLessThanOrEqual(STAGED_CONTEXT + 1);
      if (i % 3 === 1) expect(ex.prompt.endsWith("-")).toBe(true);
    }
  });
});
