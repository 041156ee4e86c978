// Poisoner: publishes well-formed payloads that teach the wrong thing. "wrong-gold": each gold
// answer is replaced by a wrong one and half the completions spell it, so receivers that score
// against the payload's answer reward the wrong completions (and the group has non-zero
// advantage, so SAPO's uniform rule keeps it). "garbage": random completions, the true answer.
import type { Rng } from "../des/rng.ts";
import type { HonestPayload, SwarmBehaviour } from "./swarmBehaviour.ts";

const CHARS = "0123456789/+.";

/** A wrong answer of the same kind: numbers shifted, fractions with a changed numerator. */
export function wrongAnswer(answer: string, rng: Rng): string {
  const f = /^(\d+)\/(\d+)$/.exec(answer);
  if (f) return `${Number(f[1]) + 1 + rng.int(3)}/${f[2]}`;
  if (/^[01]+$/.test(answer) && answer.length > 1) return answer.split("").reverse().join("") === answer ? `1${answer}` : answer.split("").reverse().join("");
  if (/^\d+$/.test(answer)) return String(Number(answer) + 1 + rng.int(3));
  return `${answer}1`;
}

export function swarmPoisoner(mode: "wrong-gold" | "garbage"): SwarmBehaviour {
  return {
    kind: "poisoner",
    publishes: true,
    slowdown: 1,
    sybilIds: 0,
    publish(honest: readonly HonestPayload[], rng: Rng): unknown {
      return honest.map((p) => {
        if (mode === "garbage") {
          const completions = p.completions.map(() => Array.from({ length: 1 + rng.int(5) }, () => CHARS[rng.int(CHARS.length)]).join(""));
          return { ...p, completions };
        }
        const wrong = wrongAnswer(p.answer, rng);
        const completions = p.completions.map((c, i) => (i % 2 === 0 ? `${wrong}.` : c));
        // Claims a high reward so top-k-reward rankings favour it.
        return { ...p, answer: wrong, completions, reward: p.completions.length * p.reward + p.completions.length };
      });
    },
  };
}
