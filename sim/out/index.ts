// sim/out: run directory writers (manifest, events, metrics, summary) and readers.
export { RunDirectory } from "./runDirectory.ts";
export { openFileSink, type FileSink } from "./fileSink.ts";
export { buildManifest, type Manifest } from "./manifest.ts";
export { markIncomplete } from "./markIncomplete.ts";
export { readRun } from "./readRun.ts";
export { writeJson } from "./writeJson.ts";
