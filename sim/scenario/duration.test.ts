// Durations: text with units to integer microseconds.
import { describe, expect, test } from "bun:test";
import { formatDuration, parseDurationUs } from "./duration.ts";

describe("parseDurationUs", () => {
  test("units", () => {
    expect(parseDurationUs("6h")).toBe(21_600_000_000);
    expect(parseDurationUs("250ms")).toBe(250_000);
    expect(parseDurationUs("1h30m")).toBe(5_400_000_000);
    expect(parseDurationUs("1.5s")).toBe(1_500_000);
    expect(parseDurationUs("7us")).toBe(7);
    expect(parseDurationUs("1d")).toBe(86_400_000_000);
    expect(parseDurationUs("0")).toBe(0);
  });
  test("rejects what is not a duration", () => {
    for (const s of ["", "6", "h", "-3h", "1 h", "6hours", "1e3s"]) expect(parseDurationUs(s)).toBeNull();
  });
  test("formatDuration round-trips", () => {
    for (const s of ["1d", "6h", "1h30m", "250ms", "7us"]) expect(formatDuration(parseDurationUs(s)!)).toBe(s);
  });
});
