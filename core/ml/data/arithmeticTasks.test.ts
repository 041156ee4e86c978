// Arithmetic tasks: answers are right and the reward checks them exactly.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { arithmeticWindows, decode, encode, rewardOf, sampleArithmeticTask } from "./arithmeticTasks.ts";

describe("arithmetic tasks", () => {
  test("every sampled task's answer is its expression's value (200 tasks, seed 4)", () => {
    const rng = new RngStreams(4).stream("arith");
    for (let i = 0; i < 200; i++) {
      const t = sampleArithmeticTask({ maxOperand: 99, ops: ["+", "-", "*"] }, rng);
      const [, a, op, b] = /^(\d+)([+*-])(\d+)=$/.exec(t.prompt)!;
      const want = op === "+" ? +a + +b : op === "-" ? +a - +b : +a * +b;
      expect(t.answer).toBe(want);
      expect(decode(encode(t.text))).toBe(t.text);
    }
  });
  test("reward is 1 only for the exact answer followed by the end mark", () => {
    const task = { prompt: "12+7=", answer: 19, text: "12+7=19." };
    expect(rewardOf(task, encode("19."))).toBe(1);
    expect(rewardOf(task, encode("19.5"))).toBe(1);
    expect(rewardOf(task, encode("190."))).toBe(0);
    expect(rewardOf(task, encode("19"))).toBe(0);
  });
  test("windows hold the text shifted by one, padded", () => {
    const w = arithmeticWindows({ maxOperand: 9, ops: ["+"] }, 2, 8, new RngStreams(1).stream("w"));
    const text = w.tasks[0].text;
    expect(decode(w.tokens.subarray(0, text.length - 1))).toBe(text.slice(0, -1));
    expect(decode(w.targets.subarray(0, text.length - 1))).toBe(text.slice(1));
    const answerTargets = [...w.targets.subarray(0, 8)].filter((_, p) => w.weights[p] === 1);
    expect(decode(answerTargets)).toBe(`${w.tasks[0].answer}.`);
    expect(() => encode("1/2")).toThrow(/"\/" is not in the alphabet/);
  });
});
