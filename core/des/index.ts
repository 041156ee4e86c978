// core/des: the deterministic event kernel.
export { Environment, MAX_PRIORITY, micros, US, MS, SECOND, MINUTE, HOUR, DAY } from "./environment.ts";
export { SimEvent, Timeout, Condition, URGENT, NORMAL } from "./event.ts";
export { Process, Interrupt, type ProcessGenerator } from "./process.ts";
export { Resource, Request } from "./resource.ts";
export { Store } from "./store.ts";
export { Rng, RngStreams, type StreamKey } from "./rng.ts";
export * as detmath from "./math.ts";
