// MarketBook: contracts/src/JobMarket.sol (escrow, assignment, commit, challenge window, payout).
import type { Account, Bytes32, Job, JobStatus, Payout, PostJobArgs } from "./ledger.ts";
import type { Erc20Book } from "./erc20Book.ts";
import type { StakingBook } from "./stakingBook.ts";
import type { GameBook } from "./gameBook.ts";
import type { LedgerConfig } from "./deployment.ts";
import { revert } from "./revert.ts";

const C = "JobMarket";
const MAX_VERIFIERS = 16;
const ZERO: Bytes32 = `0x${"0".repeat(64)}`;
const UINT32_MAX = 4_294_967_295;

export class MarketBook {
  private readonly jobs: Job[] = [];
  posted = 0n;
  escrowed = 0n;
  paidOut = 0n;
  refunded = 0n;
  /** Accounts holding ASSIGNER_ROLE. */
  readonly assigners = new Set<Account>(["operator"]);
  game!: GameBook;

  constructor(
    private readonly usd: Erc20Book,
    private readonly staking: StakingBook,
    readonly params: LedgerConfig["market"],
  ) {}

  get count(): number {
    return this.jobs.length;
  }

  job(jobId: number): Job {
    const j = this.jobs[jobId - 1];
    if (j) return { ...j, verifiers: [...j.verifiers], challengers: [...j.challengers] };
    return {
      id: jobId, submitter: "", fee: 0n, specHash: ZERO, steps: 0, graphNodes: 0, status: "None",
      solver: null, verifiers: [], resultRoot: null, committedAt: 0, gameId: 0,
      openDisputes: 0, challengers: [],
    };
  }

  private stored(jobId: number): Job | undefined {
    return Number.isInteger(jobId) ? this.jobs[jobId - 1] : undefined;
  }

  private wrongStatus(jobId: number, status: JobStatus): never {
    revert(C, "WrongStatus", jobId, status);
  }

  postJob(from: Account, a: PostJobArgs): number {
    if (a.fee === 0n || a.steps === 0 || a.graphNodes === 0) revert(C, "InvalidJob", a.fee, a.steps, a.graphNodes);
    if (!Number.isInteger(a.steps) || !Number.isInteger(a.graphNodes) || a.steps > UINT32_MAX || a.graphNodes > UINT32_MAX || a.steps < 0 || a.graphNodes < 0) {
      revert(C, "InvalidJob", a.fee, a.steps, a.graphNodes); // not encodable as uint32
    }
    this.usd.requireBalance(from, a.fee);
    const id = this.jobs.length + 1;
    this.jobs.push({
      id, submitter: from, fee: a.fee, specHash: a.specHash, steps: a.steps, graphNodes: a.graphNodes,
      status: "Posted", solver: null, verifiers: [], resultRoot: null, committedAt: 0, gameId: 0,
      openDisputes: 0, challengers: [],
    });
    this.posted += a.fee;
    this.escrowed += a.fee;
    this.usd.transfer(from, C, a.fee);
    return id;
  }

  cancelJob(from: Account, jobId: number): void {
    const j = this.stored(jobId);
    if (!j || j.status !== "Posted") this.wrongStatus(jobId, j?.status ?? "None");
    if (j.submitter !== from) revert(C, "NotSubmitter", jobId, from);
    j.status = "Cancelled";
    this.refund(j);
  }

  assign(from: Account, jobId: number, solver: Account, verifiers: Account[]): void {
    if (!this.assigners.has(from)) revert(C, "AccessControlUnauthorizedAccount", from, "ASSIGNER_ROLE");
    const j = this.stored(jobId);
    if (!j || j.status !== "Posted") this.wrongStatus(jobId, j?.status ?? "None");
    const s = this.staking.stakeOf(solver);
    if (s < this.params.minSolverStake) revert(C, "InsufficientStake", solver, s, this.params.minSolverStake);
    if (verifiers.length > MAX_VERIFIERS) revert(C, "InvalidVerifiers", jobId);
    for (let i = 0; i < verifiers.length; i++) {
      const v = verifiers[i];
      if (v === solver || verifiers.indexOf(v) < i) revert(C, "InvalidVerifiers", jobId);
      const vs = this.staking.stakeOf(v);
      if (vs < this.params.minVerifierStake) revert(C, "InsufficientStake", v, vs, this.params.minVerifierStake);
    }
    j.solver = solver;
    j.verifiers = [...verifiers];
    j.status = "Assigned";
  }

  commit(from: Account, jobId: number, root: Bytes32, now: number): void {
    const j = this.stored(jobId);
    if (!j || j.status !== "Assigned") this.wrongStatus(jobId, j?.status ?? "None");
    if (j.solver !== from) revert(C, "NotSolver", jobId, from);
    j.resultRoot = root;
    j.committedAt = now;
    j.status = "Committed";
  }

  /**
   * Any verifier of the job, once each, while the window is open and the job is not rejected
   * (Committed, Disputed or Upheld); every challenge opens its own game and the games run in
   * parallel (REFERENCE §1, §3; see JobMarket.sol for why one challenge per job is unsafe).
   */
  challenge(from: Account, jobId: number, root: Bytes32, now: number): number {
    const j = this.stored(jobId);
    if (!j || (j.status !== "Committed" && j.status !== "Disputed" && j.status !== "Upheld")) this.wrongStatus(jobId, j?.status ?? "None");
    if (!j.verifiers.includes(from)) revert(C, "NotVerifier", jobId, from);
    if (j.challengers.includes(from)) revert(C, "AlreadyChallenged", jobId, from);
    const deadline = j.committedAt + this.params.challengeWindow;
    if (now > deadline) revert(C, "ChallengeWindowClosed", jobId, deadline);
    // DisputeGame.open's checks run before any state changes here (the tx is atomic).
    this.game.checkOpen(j.resultRoot!, root, from);
    j.challengers.push(from);
    j.status = "Disputed";
    j.openDisputes += 1;
    j.gameId = this.game.open(jobId, j.solver!, from, j.resultRoot!, root, j.steps, j.graphNodes, now);
    return j.gameId;
  }

  finalize(jobId: number, now: number): Payout {
    const j = this.stored(jobId);
    // Payable only after the window with no dispute open: undisputed or every dispute won.
    if (!j || (j.status !== "Committed" && j.status !== "Upheld")) this.wrongStatus(jobId, j?.status ?? "None");
    const deadline = j.committedAt + this.params.challengeWindow;
    if (now <= deadline) revert(C, "ChallengeWindowOpen", jobId, deadline);
    const n = BigInt(j.verifiers.length);
    const protocolFee = (j.fee * this.params.protocolFeeBps) / 10_000n;
    const perVerifier = n === 0n ? 0n : (j.fee * this.params.verifierFeeBps) / 10_000n / n;
    const solver = j.fee - protocolFee - perVerifier * n;
    j.status = "Paid";
    this.escrowed -= j.fee;
    this.paidOut += j.fee;
    if (protocolFee > 0n) this.usd.transfer(C, "BuybackVault", protocolFee);
    if (perVerifier > 0n) for (const v of j.verifiers) this.usd.transfer(C, v, perVerifier);
    if (solver > 0n) this.usd.transfer(C, j.solver!, solver);
    return { solver, perVerifier, protocolFee };
  }

  /**
   * Called by the game when one of the job's games resolves. A loss rejects the job and refunds
   * the submitter (REFERENCE §1); a win leaves it Disputed while other games are open, Upheld
   * when none is. On a job already Rejected it only counts the game down: the game has slashed
   * its loser and paid the bond to its winner itself (REFERENCE §3).
   */
  onDisputeResolved(jobId: number, solverWon: boolean): void {
    const j = this.stored(jobId);
    if (!j || (j.status !== "Disputed" && j.status !== "Rejected") || j.openDisputes === 0) this.wrongStatus(jobId, j?.status ?? "None");
    j.openDisputes -= 1;
    if (j.status === "Rejected") return;
    if (solverWon) {
      if (j.openDisputes === 0) j.status = "Upheld";
    } else {
      j.status = "Rejected";
      this.refund(j);
    }
  }

  private refund(j: Job): void {
    this.escrowed -= j.fee;
    this.refunded += j.fee;
    this.usd.transfer(C, j.submitter, j.fee);
  }
}
