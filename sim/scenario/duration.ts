// Durations in scenario files ("6h", "250ms", "1h30m") -> integer microseconds, and back.
import { z } from "zod";

const UNIT_US: Record<string, number> = { us: 1, "µs": 1, ms: 1_000, s: 1_000_000, m: 60_000_000, min: 60_000_000, h: 3_600_000_000, d: 86_400_000_000, w: 604_800_000_000 };
const PART = /(\d+(?:\.\d+)?)(us|µs|ms|min|s|m|h|d|w)/y;
/** Longest duration accepted anywhere: 100 years (still exact as a JS integer of microseconds). */
export const MAX_DURATION_US = 100 * 365 * 86_400_000_000;

/** Microseconds for a duration string, or null when it is not one. "0" means zero. */
export function parseDurationUs(text: string): number | null {
  const s = text.trim();
  if (s === "0") return 0;
  if (s.length === 0 || s.length > 64) return null;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (m === null) return null;
    total += Number(m[1]) * UNIT_US[m[2]];
    pos = PART.lastIndex;
  }
  return Math.round(total);
}

/** A readable form: 90000000 -> "1m30s", 250000 -> "250ms". */
export function formatDuration(us: number): string {
  if (us === 0) return "0";
  const parts: string[] = [];
  let rest = us;
  for (const [u, f] of [["d", 86_400_000_000], ["h", 3_600_000_000], ["m", 60_000_000], ["s", 1_000_000], ["ms", 1_000], ["us", 1]] as const) {
    if (rest >= f) {
      parts.push(`${Math.floor(rest / f)}${u}`);
      rest %= f;
    }
  }
  return parts.join("");
}

export const DURATION_HINT = "a duration like '6h', '30m', '250ms' or '1h30m'";

/** Zod type for a duration field: a string with units in, integer microseconds out. */
export function duration(opts: { min?: number; max?: number } = {}) {
  const min = opts.min ?? 0;
  const max = opts.max ?? MAX_DURATION_US;
  return z
    .string({ error: `expected ${DURATION_HINT}` })
    .meta({ description: `A duration with units (us, ms, s, m, h, d, w), e.g. "6h", "250ms", "1h30m".` })
    .transform((s, ctx) => {
      const us = parseDurationUs(s);
      if (us === null) {
        ctx.issues.push({ code: "custom", message: `expected ${DURATION_HINT}`, input: s });
        return z.NEVER;
      }
      if (us < min || us > max) {
        ctx.issues.push({ code: "custom", message: `expected a duration between ${formatDuration(min)} and ${formatDuration(max)}`, input: s });
        return z.NEVER;
      }
      return us;
    });
}
