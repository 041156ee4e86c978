// anvil process manager: starts on a free port, answers, stops by PID, reports its death.
import { describe, expect, test } from "bun:test";
import { AnvilDiedError } from "./chainError.ts";
import { liveAnvilCount, rpcCall, startAnvil } from "./anvil.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startAnvil", () => {
  test("answers on loopback with the requested genesis time and is gone after stop()", async () => {
    const node = await startAnvil({ genesisTimestamp: 1_800_000_000 });
    try {
      expect(node.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(node.pid).toBeGreaterThan(0);
      expect(alive(node.pid!)).toBe(true);
      expect(await rpcCall(node.url, "eth_chainId")).toBe("0x7a69");
      const block = (await rpcCall(node.url, "eth_getBlockByNumber", ["0x0", false])) as { timestamp: string };
      expect(Number(block.timestamp)).toBe(1_800_000_000);
    } finally {
      await node.stop();
    }
    expect(alive(node.pid!)).toBe(false);
    expect(node.deathError).toBeNull();
    expect(liveAnvilCount()).toBe(0);
  });

  test("a kill from outside is reported as AnvilDiedError naming the PID", async () => {
    const node = await startAnvil();
    const died = new Promise<AnvilDiedError>((resolve) => node.onDeath(resolve));
    process.kill(node.pid!, "SIGKILL");
    const err = await died;
    expect(err).toBeInstanceOf(AnvilDiedError);
    expect(err.pid).toBe(node.pid!);
    expect(err.signal).toBe("SIGKILL");
    expect(err.message).toContain(`pid ${node.pid}`);
    expect(node.deathError).toBe(err);
    await node.stop(); // idempotent after death
    expect(liveAnvilCount()).toBe(0);
  });
});
