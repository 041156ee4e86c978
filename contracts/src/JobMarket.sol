// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Staking} from "./Staking.sol";

interface IDisputeGame {
    function open(uint256 jobId, address defender, address challenger, bytes32 defenderRoot, bytes32 challengerRoot, uint32 steps, uint32 graphNodes)
        external
        returns (uint256 gameId);
}

/// @title JobMarket
/// @notice One job's flow (REFERENCE §1): a submitter posts a job and escrows its USD fee; the
/// operator assigns a staked solver and verifiers; the solver commits a result root; during the
/// challenge window ANY of the job's verifiers may challenge (each at most once, each with its
/// own bond); every challenge opens its own DisputeGame (Verde, REFERENCE §3) and the games are
/// played in parallel, independently. The job pays (protocol fee to the vault, verifier shares,
/// the rest to the solver) only after the window closed AND with no dispute open AND when the
/// solver won every dispute raised (REFERENCE §1: a result is accepted only if unchallenged or
/// upheld). The first dispute the solver loses rejects the job at once: the solver is slashed
/// by the game and the submitter refunded. Disputes still open on a rejected job play on: the
/// game alone settles them by its own rules (honest party wins, loser slashed, bond to the
/// winner, REFERENCE §3), so an honest challenger is never penalised for arriving second, and
/// the market only counts them down. One challenge per job would let a lying verifier take the
/// job's only challenge, lose it, and shut out the honest verifier that caught a lying solver.
contract JobMarket is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A job with a zero fee, zero steps or zero graph nodes.
    error InvalidJob(uint256 fee, uint32 steps, uint32 graphNodes);
    /// @notice The job is not in the status this call needs.
    error WrongStatus(uint256 jobId, Status status);
    /// @notice The caller is not the job's submitter.
    error NotSubmitter(uint256 jobId, address caller);
    /// @notice The caller is not the job's solver.
    error NotSolver(uint256 jobId, address caller);
    /// @notice The caller is not one of the job's verifiers.
    error NotVerifier(uint256 jobId, address caller);
    /// @notice The account's stake is below the role's minimum.
    error InsufficientStake(address account, uint256 staked, uint256 required);
    /// @notice A verifier list with the solver in it, a repeated verifier, or too many.
    error InvalidVerifiers(uint256 jobId);
    /// @notice The challenge window of the job has closed.
    error ChallengeWindowClosed(uint256 jobId, uint256 deadline);
    /// @notice The challenge window of the job is still open.
    error ChallengeWindowOpen(uint256 jobId, uint256 deadline);
    /// @notice Only the dispute game reports outcomes.
    error NotDisputeGame(address caller);
    /// @notice This verifier already challenged this job (one challenge per verifier per job).
    error AlreadyChallenged(uint256 jobId, address verifier);
    /// @notice The dispute game was set already, or a share parameter is out of range.
    error BadConfig();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event JobPosted(uint256 indexed jobId, address indexed submitter, uint256 fee, bytes32 specHash);
    event JobCancelled(uint256 indexed jobId);
    event JobAssigned(uint256 indexed jobId, address indexed solver, address[] verifiers);
    event ResultCommitted(uint256 indexed jobId, bytes32 root, uint256 deadline);
    event JobChallenged(uint256 indexed jobId, address indexed challenger, uint256 gameId);
    event JobPaid(uint256 indexed jobId, uint256 solverPay, uint256 perVerifier, uint256 protocolFee);
    event JobRejected(uint256 indexed jobId, uint256 refund);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    enum Status { None, Posted, Assigned, Committed, Disputed, Upheld, Paid, Rejected, Cancelled }

    struct Params {
        uint256 challengeWindow;   // seconds after the commit during which a verifier may challenge
        uint256 protocolFeeBps;    // share of the fee sent to the BuybackVault
        uint256 verifierFeeBps;    // share of the fee split equally among the verifiers
        uint256 minSolverStake;
        uint256 minVerifierStake;
    }

    struct Job {
        address submitter;
        Status status;
        uint32 steps;
        uint32 graphNodes;
        uint256 fee;
        bytes32 specHash;
        address solver;
        bytes32 resultRoot;
        uint256 committedAt;
        uint256 gameId;        // the latest game opened on this job
        uint32 openDisputes;   // games opened on this job and not resolved yet
    }

    uint256 public constant MAX_VERIFIERS = 16;
    bytes32 public constant ASSIGNER_ROLE = keccak256("ASSIGNER_ROLE");

    IERC20 public immutable usd;
    Staking public immutable staking;
    address public immutable vault;
    Params public params;
    address public disputeGame;

    mapping(uint256 => Job) internal _jobs;
    mapping(uint256 => address[]) internal _verifiers;
    mapping(uint256 => mapping(address => bool)) public hasChallenged;
    uint256 public jobCount;
    /// @notice posted == escrowed + paidOut + refunded, always.
    uint256 public posted;
    uint256 public escrowed;
    uint256 public paidOut;
    uint256 public refunded;

    constructor(IERC20 usd_, Staking staking_, address vault_, Params memory p, address admin) {
        if (p.protocolFeeBps + p.verifierFeeBps > 10_000) revert BadConfig();
        usd = usd_;
        staking = staking_;
        vault = vault_;
        params = p;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Wires the dispute game once (the two contracts point at each other).
    function setDisputeGame(address game) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (disputeGame != address(0) || game == address(0)) revert BadConfig();
        disputeGame = game;
    }

    /*//////////////////////////////////////////////////////////////
                                 JOB FLOW
    //////////////////////////////////////////////////////////////*/

    function postJob(uint256 fee, bytes32 specHash, uint32 steps, uint32 graphNodes)
        external
        nonReentrant
        returns (uint256 jobId)
    {
        if (fee == 0 || steps == 0 || graphNodes == 0) revert InvalidJob(fee, steps, graphNodes);
        jobId = ++jobCount;
        Job storage j = _jobs[jobId];
        j.submitter = msg.sender;
        j.status = Status.Posted;
        j.steps = steps;
        j.graphNodes = graphNodes;
        j.fee = fee;
        j.specHash = specHash;
        posted += fee;
        escrowed += fee;
        usd.safeTransferFrom(msg.sender, address(this), fee);
        emit JobPosted(jobId, msg.sender, fee, specHash);
    }

    function cancelJob(uint256 jobId) external nonReentrant {
        Job storage j = _jobs[jobId];
        if (j.status != Status.Posted) revert WrongStatus(jobId, j.status);
        if (j.submitter != msg.sender) revert NotSubmitter(jobId, msg.sender);
        j.status = Status.Cancelled;
        _refund(jobId, j);
        emit JobCancelled(jobId);
    }

    function assign(uint256 jobId, address solver, address[] calldata verifiers) external onlyRole(ASSIGNER_ROLE) {
        Job storage j = _jobs[jobId];
        if (j.status != Status.Posted) revert WrongStatus(jobId, j.status);
        uint256 s = staking.stakeOf(solver);
        if (s < params.minSolverStake) revert InsufficientStake(solver, s, params.minSolverStake);
        if (verifiers.length > MAX_VERIFIERS) revert InvalidVerifiers(jobId);
        for (uint256 i = 0; i < verifiers.length; i++) {
            address v = verifiers[i];
            if (v == solver) revert InvalidVerifiers(jobId);
            for (uint256 k = 0; k < i; k++) if (verifiers[k] == v) revert InvalidVerifiers(jobId);
            uint256 vs = staking.stakeOf(v);
            if (vs < params.minVerifierStake) revert InsufficientStake(v, vs, params.minVerifierStake);
        }
        j.solver = solver;
        _verifiers[jobId] = verifiers;
        j.status = Status.Assigned;
        emit JobAssigned(jobId, solver, verifiers);
    }

    function commit(uint256 jobId, bytes32 root) external {
        Job storage j = _jobs[jobId];
        if (j.status != Status.Assigned) revert WrongStatus(jobId, j.status);
        if (j.solver != msg.sender) revert NotSolver(jobId, msg.sender);
        j.resultRoot = root;
        j.committedAt = block.timestamp;
        j.status = Status.Committed;
        emit ResultCommitted(jobId, root, block.timestamp + params.challengeWindow);
    }

    /// @notice A verifier disputes the solver's root with its own; opens a Verde dispute game.
    /// Allowed while the window is open and the job is not rejected: Committed (no dispute yet),
    /// Disputed (others open) or Upheld (every dispute so far won by the solver), once per
    /// verifier (REFERENCE §1, §3).
    function challenge(uint256 jobId, bytes32 root) external nonReentrant returns (uint256 gameId) {
        Job storage j = _jobs[jobId];
        if (j.status != Status.Committed && j.status != Status.Disputed && j.status != Status.Upheld) {
            revert WrongStatus(jobId, j.status);
        }
        if (!_isVerifier(jobId, msg.sender)) revert NotVerifier(jobId, msg.sender);
        if (hasChallenged[jobId][msg.sender]) revert AlreadyChallenged(jobId, msg.sender);
        uint256 deadline = j.committedAt + params.challengeWindow;
        if (block.timestamp > deadline) revert ChallengeWindowClosed(jobId, deadline);
        hasChallenged[jobId][msg.sender] = true;
        j.status = Status.Disputed;
        j.openDisputes += 1;
        gameId = IDisputeGame(disputeGame).open(jobId, j.solver, msg.sender, j.resultRoot, root, j.steps, j.graphNodes);
        j.gameId = gameId;
        emit JobChallenged(jobId, msg.sender, gameId);
    }

    /// @notice Pays a job once its window closed with no dispute open: undisputed (Committed) or
    /// every dispute won by the solver (Upheld). Disputed (one open) and Rejected revert.
    function finalize(uint256 jobId)
        external
        nonReentrant
        returns (uint256 solverPay, uint256 perVerifier, uint256 protocolFee)
    {
        Job storage j = _jobs[jobId];
        if (j.status != Status.Committed && j.status != Status.Upheld) revert WrongStatus(jobId, j.status);
        uint256 deadline = j.committedAt + params.challengeWindow;
        if (block.timestamp <= deadline) revert ChallengeWindowOpen(jobId, deadline);
        address[] storage vs = _verifiers[jobId];
        uint256 fee = j.fee;
        protocolFee = (fee * params.protocolFeeBps) / 10_000;
        perVerifier = vs.length == 0 ? 0 : ((fee * params.verifierFeeBps) / 10_000) / vs.length;
        solverPay = fee - protocolFee - perVerifier * vs.length;
        j.status = Status.Paid;
        escrowed -= fee;
        paidOut += fee;
        if (protocolFee > 0) usd.safeTransfer(vault, protocolFee);
        if (perVerifier > 0) for (uint256 i = 0; i < vs.length; i++) usd.safeTransfer(vs[i], perVerifier);
        if (solverPay > 0) usd.safeTransfer(j.solver, solverPay);
        emit JobPaid(jobId, solverPay, perVerifier, protocolFee);
    }

    /// @notice One game's verdict. A loss rejects the job (refund, REFERENCE §1); a win leaves it
    /// Disputed while other games are open, Upheld (payable after the window) when none is. On a
    /// job already Rejected the verdict only closes the game: the game itself has slashed its
    /// loser and paid the bond to its winner (REFERENCE §3), nothing is left to settle here.
    function onDisputeResolved(uint256 jobId, bool solverWon) external nonReentrant {
        if (msg.sender != disputeGame) revert NotDisputeGame(msg.sender);
        Job storage j = _jobs[jobId];
        if ((j.status != Status.Disputed && j.status != Status.Rejected) || j.openDisputes == 0) {
            revert WrongStatus(jobId, j.status);
        }
        j.openDisputes -= 1;
        if (j.status == Status.Rejected) return;
        if (solverWon) {
            if (j.openDisputes == 0) j.status = Status.Upheld;
        } else {
            j.status = Status.Rejected;
            _refund(jobId, j);
            emit JobRejected(jobId, j.fee);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function getJob(uint256 jobId) external view returns (Job memory) {
        return _jobs[jobId];
    }

    function verifiersOf(uint256 jobId) external view returns (address[] memory) {
        return _verifiers[jobId];
    }

    function _isVerifier(uint256 jobId, address a) internal view returns (bool) {
        address[] storage vs = _verifiers[jobId];
        for (uint256 i = 0; i < vs.length; i++) if (vs[i] == a) return true;
        return false;
    }

    function _refund(uint256, Job storage j) internal {
        escrowed -= j.fee;
        refunded += j.fee;
        usd.safeTransfer(j.submitter, j.fee);
    }
}
