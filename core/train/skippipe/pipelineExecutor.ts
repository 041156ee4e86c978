// One SkipPipe iteration on the event kernel (REFERENCE §6; skippipe:schedulers/com_sym.py):
// every node runs its compute in FIFO order, a forward pass needs a free memory slot (freed by
// that microbatch's backward there), activations and gradients are real transfers through the
// world's network plus the fixed per-hop overhead, and a collision-aware schedule releases each
// compute no earlier than its planned start. Iteration time = the last backward to finish at a
// stage-0 node. A node that goes down loses the microbatches it holds; a forward hop to a down
// node is re-routed to an up node of the same stage with a free slot, else the microbatch is lost.
import { Timeout } from "../../des/index.ts";
import type { SimEvent } from "../../des/index.ts";
import { SimEvent as Event } from "../../des/event.ts";
import type { World } from "../../world/world.ts";
import { BACKWARD_FACTOR, LOSS_FACTOR } from "./costModel.ts";

export interface MicrobatchRoute {
  origin: number;
  /** World node ids visited after the origin, in path order. */
  route: number[];
  /** Stage of each route node (pipeline order index). */
  stages: number[];
  /** Planned start (seconds after the iteration starts) of each of the 2k+3 computes, or null: as soon as possible. */
  release: number[] | null;
}

export interface ExecutorOptions {
  /** Forward of one microbatch through one stage on a node, microseconds (drawn per call: jitter). */
  forwardUs: (node: number) => number;
  bytes: number;
  overheadUs: number;
  /** Microbatches a node may hold at once. */
  slots: number;
  /** Nodes of each stage (world ids), for re-routing. */
  stageNodes: readonly (readonly number[])[];
}

export interface IterationResult {
  seconds: number;
  completed: number;
  lost: number;
  rerouted: number;
  /** Computes that were ready but had to wait for a busy node (collisions), and their total wait. */
  collisions: number;
  collisionWaitSeconds: number;
  /** Path (stage sequence) of every completed microbatch, by index. */
  completedPaths: (number[] | null)[];
}

interface Mb {
  idx: number;
  r: MicrobatchRoute;
  nodes: number[];
  step: number;
  held: Set<number>;
  done: boolean;
  lost: boolean;
  lastEnd: number;
}

interface Op {
  mb: Mb;
  step: number;
  readyAt: number;
}

/** Runs iterations one at a time on a world; create once per run (it listens to node changes). */
export class PipelineExecutor {
  private queue = new Map<number, Op[]>();
  private busy = new Set<number>();
  private used = new Map<number, number>();
  private live: Mb[] = [];
  private finishCb: (() => void) | null = null;

  constructor(
    private readonly world: World,
    private readonly o: ExecutorOptions,
  ) {
    world.onChange((node, available) => {
      if (available) return;
      for (const mb of this.live) if (!mb.done && !mb.lost && (mb.held.has(node.id) || mb.nodes[mb.step] === node.id)) this.lose(mb);
    });
  }

  private stats = { rerouted: 0, collisions: 0, wait: 0 };
  private t0 = 0;

  run(routes: readonly MicrobatchRoute[]): SimEvent<IterationResult> {
    const env = this.world.env;
    const ev = new Event<IterationResult>(env);
    this.t0 = env.now;
    this.stats = { rerouted: 0, collisions: 0, wait: 0 };
    this.queue.clear();
    this.busy.clear();
    this.used.clear();
    this.live = routes.map((r, idx) => ({ idx, r, nodes: [r.origin, ...r.route, r.origin, ...[...r.route].reverse(), r.origin], step: 0, held: new Set(), done: false, lost: false, lastEnd: 0 }));
    this.finishCb = () => {
      const left = this.live.filter((m) => !m.done && !m.lost).length;
      if (left > 0) return;
      this.finishCb = null;
      const completed = this.live.filter((m) => m.done);
      let end = 0;
      for (const m of completed) if (m.lastEnd > end) end = m.lastEnd;
      ev.succeed({
        seconds: (completed.length > 0 ? end - this.t0 : env.now - this.t0) / 1e6,
        completed: completed.length,
        lost: this.live.length - completed.length,
        rerouted: this.stats.rerouted,
        collisions: this.stats.collisions,
        collisionWaitSeconds: this.stats.wait / 1e6,
        completedPaths: this.live.map((m) => (m.done ? m.r.stages : null)),
      });
    };
    if (this.live.length === 0) {
      this.finishCb();
      return ev;
    }
    for (const mb of this.live) {
      if (!this.world.isAvailable(mb.r.origin)) this.lose(mb);
      else this.arrive(mb);
    }
    return ev;
  }

  private kindOf(mb: Mb, step: number): "fwd" | "loss" | "bwd" {
    const k = mb.r.route.length;
    return step <= k ? "fwd" : step === k + 1 ? "loss" : "bwd";
  }

  /** The microbatch's next compute is now at its node: queue it (after its planned release). */
  private arrive(mb: Mb): void {
    const env = this.world.env;
    const rel = mb.r.release?.[mb.step];
    const at = rel === undefined ? env.now : Math.max(env.now, this.t0 + Math.round(rel * 1e6));
    const enqueue = () => {
      if (mb.lost) return;
      const node = mb.nodes[mb.step];
      const q = this.queue.get(node) ?? this.queue.set(node, []).get(node)!;
      q.push({ mb, step: mb.step, readyAt: env.now });
      this.tryStart(node);
    };
    if (at > env.now) new Timeout(env, at - env.now).addCallback(enqueue);
    else enqueue();
  }

  private tryStart(node: number): void {
    if (this.busy.has(node) || !this.world.isAvailable(node)) return;
    const q = this.queue.get(node);
    if (q === undefined) return;
    for (let i = 0; i < q.length; i++) {
      const op = q[i];
      if (op.mb.lost) {
        q.splice(i--, 1);
        continue;
      }
      const needsSlot = this.kindOf(op.mb, op.step) === "fwd" && !op.mb.held.has(node);
      if (needsSlot && (this.used.get(node) ?? 0) >= this.o.slots) continue;
      q.splice(i, 1);
      this.start(node, op, needsSlot);
      return;
    }
  }

  private start(node: number, op: Op, takeSlot: boolean): void {
    const env = this.world.env;
    const mb = op.mb;
    if (takeSlot) {
      mb.held.add(node);
      this.used.set(node, (this.used.get(node) ?? 0) + 1);
    }
    if (env.now > op.readyAt) {
      this.stats.collisions++;
      this.stats.wait += env.now - op.readyAt;
    }
    const kind = this.kindOf(mb, op.step);
    const f = this.o.forwardUs(node);
    const dur = Math.ceil(kind === "fwd" ? f : kind === "loss" ? f * LOSS_FACTOR : f * BACKWARD_FACTOR);
    this.busy.add(node);
    new Timeout(env, dur).addCallback(() => {
      this.busy.delete(node);
      if (!mb.lost && !this.world.isAvailable(node)) this.lose(mb);
      if (!mb.lost) this.finishOp(mb, node, kind);
      this.tryStart(node);
    });
  }

  private freeSlot(mb: Mb, node: number): void {
    if (!mb.held.delete(node)) return;
    this.used.set(node, (this.used.get(node) ?? 1) - 1);
    this.tryStart(node);
  }

  private finishOp(mb: Mb, node: number, kind: "fwd" | "loss" | "bwd"): void {
    const env = this.world.env;
    if (kind === "bwd") this.freeSlot(mb, node);
    mb.step++;
    if (mb.step >= mb.nodes.length) {
      mb.done = true;
      mb.lastEnd = env.now;
      this.finishCb?.();
      return;
    }
    let to = mb.nodes[mb.step];
    if (!this.world.isAvailable(to)) {
      // Forward hops can go to another replica of the stage; gradients must return where the activations are.
      const k = mb.r.route.length;
      if (mb.step >= 1 && mb.step <= k) {
        const stage = mb.r.stages[mb.step - 1];
        const alt = this.o.stageNodes[stage].filter((v) => v !== to && this.world.isAvailable(v) && (this.used.get(v) ?? 0) < this.o.slots);
        if (alt.length === 0) return this.lose(mb);
        const pickNode = alt.reduce((a, b) => ((this.queue.get(b)?.length ?? 0) < (this.queue.get(a)?.length ?? 0) ? b : a));
        const pos = mb.step;
        mb.nodes[pos] = pickNode;
        mb.nodes[mb.nodes.length - 1 - pos] = pickNode;
        mb.r = { ...mb.r, route: mb.r.route.map((v, i) => (i === pos - 1 ? pickNode : v)), release: null };
        this.stats.rerouted++;
        to = pickNode;
      } else return this.lose(mb);
    }
    this.world.network.send(node, to, this.o.bytes).addCallback((e) => {
      if (mb.lost) return;
      const d = (e as SimEvent<{ delivered: boolean }>).value;
      if (!d.delivered) return this.lose(mb);
      new Timeout(env, this.o.overheadUs).addCallback(() => {
        if (!mb.lost) this.arrive(mb);
      });
    });
  }

  /** Gives up the running iteration: every unfinished microbatch counts as lost. */
  abandon(): void {
    for (const mb of this.live) this.lose(mb);
  }

  private lose(mb: Mb): void {
    if (mb.lost || mb.done) return;
    mb.lost = true;
    for (const v of [...mb.held]) this.freeSlot(mb, v);
    this.finishCb?.();
  }
}
