// A LineSink that appends chunks to a file with synchronous writes (the trace buffers ~64 KB).
import { closeSync, openSync, writeSync } from "node:fs";
import type { LineSink } from "../../core/run/index.ts";

export interface FileSink {
  sink: LineSink;
  close(): void;
}

export function openFileSink(path: string): FileSink {
  const fd = openSync(path, "w");
  let open = true;
  return {
    sink(chunk: string) {
      writeSync(fd, chunk);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
