// Scenario loading: every bad input becomes one clear ScenarioError naming file, path and value.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "./load.ts";
import { ScenarioError } from "./scenarioError.ts";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gsim-scenario-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = "name: t\nseed: 1\nduration: 1h\nnodes: {count: 10, hardware: h100, regions: us-east}\nworkload: {kind: gossip}\n";

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The message of the ScenarioError that loading throws (fails the test if none is thrown). */
function errorOf(path: string, sets: string[] = []): string {
  try {
    loadScenario(path, { sets });
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).message;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe("a good scenario", () => {
  test("parses with defaults and durations in microseconds", () => {
    const s = loadScenario(file("good.yaml", GOOD));
    expect(s.duration).toBe(3_600_000_000);
    expect(s.nodes[0]).toMatchObject({ count: 10, hardware: { h100: 1 }, link: { cable: 1 } });
    expect(s.settle).toBe("memory");
    expect(s.workload).toMatchObject({ kind: "gossip", heartbeat: { interval: 60_000_000, fanout: 2 } });
  });
  test("JSON files load too", () => {
    const s = loadScenario(file("good.json", JSON.stringify({ name: "j", duration: "250ms", nodes: [{ count: 2, hardware: { h100: 0.5, m2: 0.5 }, regions: "eu-west" }], workload: { kind: "gossip" } })));
    expect(s.duration).toBe(250_000);
    expect(s.nodes[0].hardware).toEqual({ h100: 0.5, m2: 0.5 });
  });
  test("--set overrides the file (flag > file > default)", () => {
    const p = file("over.yaml", GOOD);
    const s = loadScenario(p, { sets: ["nodes.count=25", "duration=2h", "workload.heartbeat.fanout=3", "network.loss=0.5"] });
    expect(s.nodes[0].count).toBe(25);
    expect(s.duration).toBe(7_200_000_000);
    expect((s.workload as any).heartbeat.fanout).toBe(3);
    expect(s.network.loss).toBe(0.5);
  });
  test("a --set that does not fit the file's shape names the file, the flag and the key", () => {
    expect(errorOf(file("over3.yaml", GOOD), ["nodes.count.x=5"])).toBe(`${dir}/over3.yaml: --set nodes.count.x=5: nodes.count is 10, not a mapping or list to set a key inside`);
  });
  test("a bad --set value is blamed on the flag", () => {
    expect(errorOf(file("over2.yaml", GOOD), ["nodes.count=-5"])).toBe(`${dir}/over2.yaml (--set nodes.count=-5): nodes.count: expected a number >= 1, got -5`);
  });
});

describe("bad input is one clear message", () => {
  test("wrong type", () => {
    expect(errorOf(file("type.yaml", GOOD.replace("count: 10", "count: ten")))).toEndWith("type.yaml: nodes.count: expected a number, got \"ten\"");
  });
  test("unknown key", () => {
    expect(errorOf(file("unknown.yaml", GOOD + "colour: red\n"))).toEndWith("unknown.yaml: colour: unknown key (not part of the schema), got \"red\"");
  });
  test("unknown key inside a workload", () => {
    expect(errorOf(file("wunknown.yaml", GOOD.replace("{kind: gossip}", "{kind: gossip, speed: 3}")))).toEndWith("wunknown.yaml: workload.speed: unknown key (not part of the schema), got 3");
  });
  test("unknown workload kind", () => {
    expect(errorOf(file("kind.yaml", GOOD.replace("kind: gossip", "kind: teleport")))).toMatch(/workload\.kind: expected one of [a-z-, ]*\bgossip\b[a-z-, ]*, got "teleport"/);
  });
  test("negative count", () => {
    expect(errorOf(file("neg.yaml", GOOD.replace("count: 10", "count: -5")))).toEndWith("neg.yaml: nodes.count: expected a number >= 1, got -5");
  });
  test("astronomically large count", () => {
    expect(errorOf(file("huge.yaml", GOOD.replace("count: 10", "count: 1e300")))).toContain("nodes.count: expected an integer <= 9007199254740991, got 1e+300");
    expect(errorOf(file("big.yaml", GOOD.replace("count: 10", "count: 20000000")))).toEndWith("big.yaml: nodes.count: expected a number <= 10000000, got 20000000");
  });
  test("bad duration", () => {
    expect(errorOf(file("dur.yaml", GOOD.replace("duration: 1h", "duration: soon")))).toEndWith(`dur.yaml: duration: expected a duration like '6h', '30m', '250ms' or '1h30m', got "soon"`);
  });
  test("a number where a duration belongs", () => {
    expect(errorOf(file("durnum.yaml", GOOD.replace("duration: 1h", "duration: 3600")))).toEndWith(`durnum.yaml: duration: expected a duration like '6h', '30m', '250ms' or '1h30m', got 3600`);
  });
  test("unknown hardware in a mix", () => {
    expect(errorOf(file("hw.yaml", GOOD.replace("hardware: h100", "hardware: h200")))).toContain('nodes.hardware: expected one of "h100"');
  });
  test("syntax error names line and column", () => {
    expect(errorOf(file("syntax.yaml", "name: x\nduration: [1\n"))).toMatch(/syntax\.yaml:\d+:\d+: syntax error: /);
  });
  test("duplicate keys", () => {
    expect(errorOf(file("dup.yaml", GOOD + "name: again\n"))).toEndWith('dup.yaml:6:1: syntax error: duplicate key "name" (map keys must be unique)');
    expect(errorOf(file("dup2.yaml", GOOD.replace("{kind: gossip}", "{kind: gossip, kind: gossip}")))).toContain('syntax error: duplicate key "kind"');
  });
  test("missing file", () => {
    expect(errorOf(join(dir, "nope.yaml"))).toBe(`${dir}/nope.yaml: no such file`);
  });
  test("a directory", () => {
    expect(errorOf(dir)).toBe(`${dir}: is a directory, expected a scenario file (.yaml or .json)`);
  });
  test("empty file", () => {
    expect(errorOf(file("empty.yaml", "  \n"))).toEndWith("empty.yaml: expected a scenario mapping (name, duration, nodes, workload, ...), got an empty file");
  });
  test("a top level that is not a mapping", () => {
    expect(errorOf(file("list.yaml", "- 1\n- 2\n"))).toEndWith("list.yaml: (top level): expected a mapping (name, duration, nodes, workload, ...), got a list of 2 items");
  });
  test("binary garbage", () => {
    const bytes = new Uint8Array(256).map((_, i) => (i * 97 + 13) & 255);
    expect(errorOf(file("garbage.yaml", bytes))).toContain("garbage.yaml: expected a text file (YAML or JSON), got binary data");
    expect(errorOf(file("latin1.yaml", new Uint8Array([0x6e, 0x3a, 0xe9, 0xff, 0x0a])))).toContain("got bytes that are not UTF-8");
  });
  test("very deep nesting (flow and block)", () => {
    expect(errorOf(file("deep.yaml", "a: " + "[".repeat(100_000) + "]".repeat(100_000)))).toEndWith("deep.yaml: expected nesting of at most 32 levels, got deeper nesting");
    let block = "x:\n";
    for (let i = 1; i < 60; i++) block += "  ".repeat(i) + "k:\n";
    expect(errorOf(file("deepblock.yaml", block))).toContain("expected nesting of at most 32 levels");
  });
  test("YAML alias bomb", () => {
    let s = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 20; i++) s += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    expect(errorOf(file("bomb.yaml", s))).toEndWith("bomb.yaml: expected at most 100 alias expansions, got a YAML alias bomb (excessive aliases)");
  });
  test("a file of 50,000 keys is refused in linear time, not after minutes", () => {
    let many = GOOD;
    for (let i = 0; i < 50_000; i++) many += `k${i}: 1\n`;
    expect(errorOf(file("many-keys.yaml", many))).toContain("k0: unknown key");
  }, 60_000); // quadratic refusal takes minutes; linear takes ~1 s idle, several on a loaded machine
  test("deep block nesting that overflows the parser", () => {
    expect(errorOf(file("dashes.yaml", "- ".repeat(100_000) + "x\n"))).toContain("expected nesting of at most 32 levels");
  });
  test("a file over 1 MiB", () => {
    expect(errorOf(file("large.yaml", "# " + "x".repeat(1 << 20) + "\n" + GOOD))).toContain("expected a scenario file of at most 1048576 bytes");
  });
  test("a malformed --set", () => {
    expect(errorOf(file("set.yaml", GOOD), ["nodes.count"])).toBe("--set nodes.count: expected path=value, e.g. --set nodes.count=500");
    expect(errorOf(file("set2.yaml", GOOD), ["__proto__.x=1"])).toContain("expected a dotted path");
  });
  test("several problems: the first in the message, the rest in details", () => {
    try {
      loadScenario(file("many.yaml", GOOD.replace("count: 10", "count: -1") + "colour: red\n"));
      throw new Error("not rejected");
    } catch (err) {
      expect((err as ScenarioError).message).toContain("nodes.count");
      expect((err as ScenarioError).details).toContain("colour: unknown key");
    }
  });
});

describe("a train-compare arm is checked by its algorithm's schema at load time", () => {
  const arms = (list: string) => file("arms.yaml", GOOD.replace("workload: {kind: gossip}", `workload:\n  kind: train-compare\n  arms:\n${list}`));
  /** The message plus details of the ScenarioError, one problem a line. */
  function allOf(path: string, sets: string[] = []): string[] {
    try {
      loadScenario(path, { sets });
    } catch (err) {
      const e = err as ScenarioError;
      return [e.message, ...(e.details ?? "").split("\n").filter((l) => l)];
    }
    throw new Error(`expected ${path} to be rejected`);
  }
  test("an unknown key and a bad value name the file and the full path, no stray separator", () => {
    const p = arms("    - {name: ddp, kind: ddp, stepz: 3}\n    - {name: diloco, kind: diloco, H: -5}\n");
    expect(allOf(p)).toEqual([`${p}: workload.arms.0.stepz: unknown key (not part of the schema), got 3`, `${p}: workload.arms.1.H: expected a number > 0, got -5`]);
  });
  test("an unknown algorithm, a missing kind and a duplicate name", () => {
    const p = arms("    - {name: a, kind: sgd}\n    - {name: a}\n");
    const kinds = `"ddp", "diloco", "streaming-diloco", "noloco", "hdee"`;
    expect(allOf(p)).toEqual([
      `${p}: workload.arms.0.kind: expected one of ${kinds}, got "sgd"`,
      `${p}: workload.arms.1.name: expected a name no earlier arm has, got "a" (a duplicate)`,
      `${p}: workload.arms.1.kind: expected one of ${kinds}, got nothing`,
    ]);
  });
  test("a --set that breaks an arm is named as the source", () => {
    const p = arms("    - {name: d, kind: diloco, H: 5}\n");
    expect(allOf(p, ["workload.arms.0.H=0"])).toEqual([`${p} (--set workload.arms.0.H=0): workload.arms.0.H: expected a number > 0, got 0`]);
  });
  test("good arms load with their names and keys kept for the workload", () => {
    const s = loadScenario(arms("    - {name: d, kind: diloco, H: 5}\n    - {name: n, kind: noloco}\n"));
    expect(s.workload).toMatchObject({ kind: "train-compare", arms: [{ name: "d", kind: "diloco", H: 5 }, { name: "n", kind: "noloco" }] });
  });
});
