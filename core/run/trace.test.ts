// Trace: line format, streaming, and eventsHash = sha256 of the exact bytes written.
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { Environment } from "../des/index.ts";
import { Trace } from "./trace.ts";

describe("Trace", () => {
  test("emits {t, type, ...fields} lines and hashes exactly those bytes", () => {
    const env = new Environment();
    let out = "";
    const trace = new Trace(env, (chunk) => (out += chunk));
    trace.emit("start");
    env.run(1500);
    trace.emit("node.down", { node: 3, reason: "churn" });
    const hash = trace.close();
    expect(out).toBe('{"t":0,"type":"start"}\n{"t":1500,"type":"node.down","node":3,"reason":"churn"}\n');
    expect(hash).toBe(createHash("sha256").update(out).digest("hex"));
    expect(trace.count).toBe(2);
  });
  test("hash does not depend on how lines were chunked to the sink", () => {
    const env = new Environment();
    const big = new Trace(env, null);
    for (let i = 0; i < 20_000; i++) big.emit("x", { i });
    const ref = new Trace(env, null);
    for (let i = 0; i < 20_000; i++) {
      ref.emit("x", { i });
      ref.flush();
    }
    expect(big.close()).toBe(ref.close());
  });
  test("fields named t or type are refused", () => {
    const trace = new Trace(new Environment());
    expect(() => trace.emit("x", { t: 1 })).toThrow('may not be named "t" or "type"');
  });
  test("emit after close is an error", () => {
    const trace = new Trace(new Environment());
    trace.close();
    expect(() => trace.emit("late")).toThrow("after the trace was closed");
  });
});
