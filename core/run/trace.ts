// The event trace: one JSON line per emitted event, streamed to a sink and hashed as it goes.
// eventsHash = sha256 of the exact bytes of events.jsonl (so `sha256sum events.jsonl` agrees).
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Environment } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import type { JsonValue } from "./json.ts";

/** Where finished lines go (e.g. a file writer); each call gets complete lines ending in "\n". */
export type LineSink = (chunk: string) => void;

const FLUSH_CHARS = 1 << 16;

export class Trace {
  private readonly env: Environment;
  private readonly sink: LineSink | null;
  private readonly hasher = sha256.create();
  private buffer = "";
  private finished: string | null = null;
  /** Lines emitted so far. */
  count = 0;

  constructor(env: Environment, sink: LineSink | null = null) {
    this.env = env;
    this.sink = sink;
  }

  /** Appends {"t": now, "type": type, ...fields} as one line of events.jsonl. */
  emit(type: string, fields?: Record<string, JsonValue>): void {
    if (this.finished !== null) throw new ConfigError(`trace.emit("${type}") after the trace was closed`);
    let line = `{"t":${this.env.now},"type":${JSON.stringify(type)}`;
    if (fields !== undefined) {
      if ("t" in fields || "type" in fields) {
        throw new ConfigError(`trace.emit("${type}"): fields may not be named "t" or "type" (they are set by the trace)`);
      }
      const body = JSON.stringify(fields);
      line += body.length > 2 ? "," + body.slice(1) : "}";
    } else {
      line += "}";
    }
    this.buffer += line + "\n";
    this.count++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Hashes and hands buffered lines to the sink. */
  flush(): void {
    if (this.buffer.length === 0) return;
    this.hasher.update(utf8ToBytes(this.buffer));
    if (this.sink !== null) this.sink(this.buffer);
    this.buffer = "";
  }

  /** Flushes and returns the hex sha256 of all lines; later calls return the same hash. */
  close(): string {
    if (this.finished === null) {
      this.flush();
      this.finished = bytesToHex(this.hasher.digest());
    }
    return this.finished;
  }
}
