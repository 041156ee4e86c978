// Shared resources with a capacity (SimPy's Resource / PriorityResource): a process requests a
// slot, waits if all are taken, and releases it. Waiters are served by (priority, arrival order).
import { KernelError } from "../errors.ts";
import type { Environment } from "./environment.ts";
import { SimEvent } from "./event.ts";

export class Request extends SimEvent<Request> {
  readonly resource: Resource;
  readonly priority: number;
  readonly order: number;
  constructor(resource: Resource, priority: number, order: number) {
    super(resource.env, "Request");
    this.resource = resource;
    this.priority = priority;
    this.order = order;
  }
  /** Release the slot (or withdraw the request if still waiting). */
  release(): void {
    this.resource.release(this);
  }
}

export class Resource {
  readonly env: Environment;
  readonly capacity: number;
  readonly users: Request[] = [];
  readonly queue: Request[] = [];
  private order = 0;

  constructor(env: Environment, capacity = 1) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new KernelError(`resource capacity must be a positive integer, got ${capacity}`);
    }
    this.env = env;
    this.capacity = capacity;
  }

  get count(): number {
    return this.users.length;
  }

  /** Ask for one slot; lower priority values are served first. */
  request(priority = 0): Request {
    const req = new Request(this, priority, this.order++);
    // insert keeping (priority, order) order
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].priority > priority) i--;
    this.queue.splice(i, 0, req);
    this.grant();
    return req;
  }

  release(req: Request): void {
    const u = this.users.indexOf(req);
    if (u >= 0) {
      this.users.splice(u, 1);
      this.grant();
      return;
    }
    const q = this.queue.indexOf(req);
    if (q >= 0) {
      this.queue.splice(q, 1);
      return;
    }
    throw new KernelError("release() of a request that this resource does not hold");
  }

  private grant(): void {
    while (this.users.length < this.capacity && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.users.push(next);
      next.succeed(next);
    }
  }
}
