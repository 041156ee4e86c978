// Stores: FIFO queues of items between processes (SimPy's Store / FilterStore), optionally bounded.
import { KernelError } from "../errors.ts";
import type { Environment } from "./environment.ts";
import { SimEvent } from "./event.ts";

interface Getter<T> {
  event: SimEvent<T>;
  filter?: (item: T) => boolean;
}

export class Store<T> {
  readonly env: Environment;
  readonly capacity: number;
  readonly items: T[] = [];
  private readonly putters: { event: SimEvent<void>; item: T }[] = [];
  private readonly getters: Getter<T>[] = [];

  constructor(env: Environment, capacity = Infinity) {
    if (!(capacity >= 1)) throw new KernelError(`store capacity must be >= 1, got ${capacity}`);
    this.env = env;
    this.capacity = capacity;
  }

  /** Put an item; the event fires when there is room. */
  put(item: T): SimEvent<void> {
    const event = new SimEvent<void>(this.env, "StorePut");
    this.putters.push({ event, item });
    this.settle();
    return event;
  }

  /** Take the first item (matching `filter`, if given); the event fires with it. */
  get(filter?: (item: T) => boolean): SimEvent<T> {
    const event = new SimEvent<T>(this.env, "StoreGet");
    this.getters.push(filter ? { event, filter } : { event });
    this.settle();
    return event;
  }

  /** Withdraw a get() that has not fired yet (e.g. after a timeout won an anyOf). */
  cancel(event: SimEvent<T>): void {
    const i = this.getters.findIndex((g) => g.event === event);
    if (i >= 0) this.getters.splice(i, 1);
  }

  get size(): number {
    return this.items.length;
  }

  private settle(): void {
    let progress = true;
    while (progress) {
      progress = false;
      while (this.putters.length > 0 && this.items.length < this.capacity) {
        const p = this.putters.shift()!;
        this.items.push(p.item);
        p.event.succeed();
        progress = true;
      }
      for (let g = 0; g < this.getters.length; g++) {
        const getter = this.getters[g];
        const idx = getter.filter ? this.items.findIndex(getter.filter) : this.items.length > 0 ? 0 : -1;
        if (idx < 0) continue;
        const [item] = this.items.splice(idx, 1);
        this.getters.splice(g, 1);
        g--;
        getter.event.succeed(item);
        progress = true;
      }
    }
  }
}
