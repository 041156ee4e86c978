// RL Swarm v1's derived stage tasks (REFERENCE §7: answer, critique, resolve), exactly verifiable
// from the round's question and its gold answer. Stage 0 is the question itself. Stage 1
// (critique) shows the answers of up to SHOWN peers and asks for the index of a correct one, or
// the index one past the last shown answer ("none") when none is correct. Stage 2
// (resolve) shows the same answers and asks for the final answer. Prompts stay in the policy's
// alphabet: answers are joined by "*", a critique prompt ends in "-", a resolve prompt in "=".
import type { Rng } from "../../des/rng.ts";
import { wrongAnswer } from "../../agents/swarmPoisoner.ts";
import { extractAnswer, rewardAgainst, sampleTask, SPECIALTIES, type SwarmTask } from "./tasks.ts";

export const STAGES = ["answer", "critique", "resolve"] as const;
/** Peer answers shown in a critique or resolve prompt (v1's pick_k_cols keeps 5; our policy's context holds 3). */
export const SHOWN = 3;
/** Longest shown answer, in characters. */
const ANSWER_CHARS = 4;
/** Context of the v1 policy: the longest question (7), three answers with separators (14), the mark (1) and a completion. */
export const STAGED_CONTEXT = 28;

/** A peer's answer as shown in a prompt: the text before its end mark, digits and "/" only, at most 4 characters. */
export function shownAnswer(completion: string): string {
  const a = extractAnswer(completion) ?? completion;
  return [...a].filter((c) => "0123456789/".includes(c)).join("").slice(0, ANSWER_CHARS);
}

export function critiquePrompt(question: string, shown: readonly string[]): string {
  return `${question}${shown.join("*")}-`;
}

export function resolvePrompt(question: string, shown: readonly string[]): string {
  return `${question}${shown.join("*")}=`;
}

/** The prompt of stage `stage` (0 answer, 1 critique, 2 resolve). */
export function stagePrompt(stage: number, question: string, shown: readonly string[]): string {
  return stage === 0 ? question : stage === 1 ? critiquePrompt(question, shown) : resolvePrompt(question, shown);
}

/**
 * Critique reward: the quality (rewardAgainst the gold) of the shown answer whose index the
 * completion names; naming index shown.length ("none") scores 1 when no shown answer is right.
 * Anything else (not one digit, out of range) scores 0.
 */
export function critiqueReward(gold: string, shown: readonly string[], completion: string): number {
  const a = extractAnswer(completion);
  if (a === null || !/^\d$/.test(a)) return 0;
  const i = Number(a);
  if (i < shown.length) return rewardAgainst(gold, `${shown[i]}.`);
  if (i === shown.length) return shown.every((s) => rewardAgainst(gold, `${s}.`) === 0) ? 1 : 0;
  return 0;
}

/** Reward of a completion at `stage` for a question with gold answer `gold` and shown answers. */
export function stageReward(stage: number, gold: string, shown: readonly string[], completion: string): number {
  return stage === 1 ? critiqueReward(gold, shown, completion) : rewardAgainst(gold, completion);
}

/** The round's shared questions (v1 nodes draw the same dataset slice every round). */
export function roundQuestions(n: number, rng: Rng): SwarmTask[] {
  return Array.from({ length: n }, () => sampleTask(SPECIALTIES[rng.int(SPECIALTIES.length)], rng));
}

/**
 * One warm-start row for the shared base model (the pretrained model knows the prompt formats,
 * not the skill): stage 0 the answer; stage 1 a uniformly drawn index; stage 2 a uniformly drawn
 * shown answer. Shown answers mix the gold and wrong ones.
 */
export function formatExample(stage: number, rng: Rng): { prompt: string; completion: string } {
  const t = sampleTask(SPECIALTIES[rng.int(SPECIALTIES.length)], rng);
  if (stage === 0) return { prompt: t.prompt, completion: `${t.answer}.` };
  const k = 1 + rng.int(SHOWN);
  const shown = Array.from({ length: k }, () => shownAnswer(rng.int(2) === 0 ? t.answer : wrongAnswer(t.answer, rng)));
  if (stage === 1) return { prompt: critiquePrompt(t.prompt, shown), completion: `${rng.int(k + 1)}.` };
  return { prompt: resolvePrompt(t.prompt, shown), completion: `${shown[rng.int(k)]}.` };
}
