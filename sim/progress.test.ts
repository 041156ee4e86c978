// Progress: silent unless on a TTY, after the delay, and not quiet.
import { describe, expect, test } from "bun:test";
import { Progress } from "./progress.ts";

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 80, write: (s: string) => out.push(s) } };
}

describe("Progress", () => {
  test("draws a bar on a TTY once the delay has passed", () => {
    const s = sink(true);
    const p = new Progress({ label: "run", total: 100, stream: s.stream, delayMs: 0 });
    p.update(50);
    p.finish();
    expect(s.out[0]).toContain("run [");
    expect(s.out[0]).toContain(" 50% 50/100");
    expect(s.out.at(-1)).toBe("\r\x1b[2K");
  });
  test("is silent when piped", () => {
    const s = sink(false);
    const p = new Progress({ label: "run", total: 100, stream: s.stream, delayMs: 0 });
    p.update(50);
    p.finish();
    expect(s.out).toEqual([]);
  });
  test("is silent with quiet", () => {
    const s = sink(true);
    const p = new Progress({ label: "run", total: 100, stream: s.stream, delayMs: 0, quiet: true });
    p.update(50);
    expect(s.out).toEqual([]);
  });
  test("stays hidden during the delay (default one second)", () => {
    const s = sink(true);
    const p = new Progress({ label: "run", total: 100, stream: s.stream, delayMs: 60_000 });
    p.update(50);
    expect(s.out).toEqual([]);
  });
});
