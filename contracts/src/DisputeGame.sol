// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Staking} from "./Staking.sol";

interface IJobMarketCallback {
    function onDisputeResolved(uint256 jobId, bool solverWon) external;
}

/// @title DisputeGame
/// @notice Verde's refereed delegation on chain (REFERENCE §3, §4). A 1-vs-1 bisection between
/// the solver (defender) and a verifier (challenger): phase Steps finds the first disagreeing
/// training step, phase Graph the first disagreeing graph node of that step, then the referee
/// recomputes that ONE operator and posts the correct hash for position hi. Every round the
/// defender claims its hash at mid, then the challenger; equal hashes move lo up, different
/// ones move hi down. Each party has a chess clock; a party that runs out loses on `timeout`
/// to the party that moved last. The challenger posts a bond when it challenges; the loser is
/// slashed `slashAmount` of stake, paid to the winner, and the bond goes to the winner too
/// (back to the challenger when it wins). When the referee's hash matches neither party, both
/// are slashed to the treasury along with the bond.
contract DisputeGame is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Only the JobMarket opens games.
    error NotMarket(address caller);
    /// @notice Both parties committed the same root: nothing to dispute.
    error ClaimsAgree(bytes32 root);
    /// @notice The game is not in the phase this call needs.
    error WrongPhase(uint256 gameId, Phase phase);
    /// @notice The caller is not the party whose move it is.
    error NotYourTurn(uint256 gameId, address caller);
    /// @notice The mover's clock ran out; the game can only end by `timeout`.
    error ClockExpired(uint256 gameId, uint256 elapsed, uint256 timeLeft);
    /// @notice The mover still has time on its clock.
    error ClockNotExpired(uint256 gameId, uint256 elapsed, uint256 timeLeft);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event GameOpened(uint256 indexed gameId, uint256 indexed jobId, address defender, address challenger, uint256 bond);
    event Claimed(uint256 indexed gameId, address indexed party, Phase phase, uint256 position, bytes32 hash);
    event Bisected(uint256 indexed gameId, Phase phase, uint256 lo, uint256 hi);
    event PhaseAdvanced(uint256 indexed gameId, Phase phase, uint256 index);
    event GameResolved(uint256 indexed gameId, Outcome outcome, uint256 defenderSlashed, uint256 challengerSlashed);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    enum Phase { None, Steps, Graph, Referee, Resolved }
    enum Outcome { Pending, DefenderWon, ChallengerWon, BothWrong }

    struct Params {
        uint256 bond;         // Token the challenger posts when it challenges
        uint256 slashAmount;  // stake slashed from the loser
        uint256 clock;        // seconds on each party's chess clock
    }

    struct Game {
        uint256 jobId;
        address defender;
        address challenger;
        Phase phase;
        Outcome outcome;
        bool challengerToMove;
        uint32 lo;
        uint32 hi;
        uint32 step;
        uint32 node;
        uint32 graphNodes;
        uint32 moves;
        bytes32 pendingClaim;
        bytes32 defenderClaimHi;
        bytes32 challengerClaimHi;
        uint256 defenderTimeLeft;
        uint256 challengerTimeLeft;
        uint256 lastMoveAt;
        uint256 bond;
    }

    bytes32 public constant REFEREE_ROLE = keccak256("REFEREE_ROLE");

    IERC20 public immutable token;
    Staking public immutable staking;
    address public immutable market;
    address public immutable treasury;
    Params public params;

    mapping(uint256 => Game) internal _games;
    uint256 public gameCount;
    /// @notice Bonds held for games not yet resolved: equals this contract's token balance.
    uint256 public bondsHeld;

    constructor(IERC20 token_, Staking staking_, address market_, address treasury_, Params memory p, address admin) {
        token = token_;
        staking = staking_;
        market = market_;
        treasury = treasury_;
        params = p;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                 OPENING
    //////////////////////////////////////////////////////////////*/

    /// @notice Called by the JobMarket on a challenge; pulls the challenger's bond.
    function open(
        uint256 jobId,
        address defender,
        address challenger,
        bytes32 defenderRoot,
        bytes32 challengerRoot,
        uint32 steps,
        uint32 graphNodes
    ) external nonReentrant returns (uint256 gameId) {
        if (msg.sender != market) revert NotMarket(msg.sender);
        if (defenderRoot == challengerRoot) revert ClaimsAgree(defenderRoot);
        gameId = ++gameCount;
        Game storage g = _games[gameId];
        g.jobId = jobId;
        g.defender = defender;
        g.challenger = challenger;
        g.phase = Phase.Steps;
        g.hi = steps;
        g.graphNodes = graphNodes;
        g.defenderClaimHi = defenderRoot;
        g.challengerClaimHi = challengerRoot;
        g.defenderTimeLeft = params.clock;
        g.challengerTimeLeft = params.clock;
        g.lastMoveAt = block.timestamp;
        g.bond = params.bond;
        bondsHeld += params.bond;
        if (params.bond > 0) token.safeTransferFrom(challenger, address(this), params.bond);
        emit GameOpened(gameId, jobId, defender, challenger, params.bond);
        _settlePhase(gameId, g);
    }

    /*//////////////////////////////////////////////////////////////
                                 BISECTION
    //////////////////////////////////////////////////////////////*/

    /// @notice The mover's hash for position mid = lo + (hi - lo) / 2 of the current phase.
    function claim(uint256 gameId, bytes32 hash) external nonReentrant {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Steps && g.phase != Phase.Graph) revert WrongPhase(gameId, g.phase);
        address mover = g.challengerToMove ? g.challenger : g.defender;
        if (msg.sender != mover) revert NotYourTurn(gameId, msg.sender);
        uint256 elapsed = block.timestamp - g.lastMoveAt;
        uint256 left = g.challengerToMove ? g.challengerTimeLeft : g.defenderTimeLeft;
        if (elapsed > left) revert ClockExpired(gameId, elapsed, left);
        if (g.challengerToMove) g.challengerTimeLeft = left - elapsed;
        else g.defenderTimeLeft = left - elapsed;
        g.lastMoveAt = block.timestamp;
        g.moves += 1;
        uint32 mid = g.lo + (g.hi - g.lo) / 2;
        emit Claimed(gameId, msg.sender, g.phase, mid, hash);
        if (!g.challengerToMove) {
            g.pendingClaim = hash;
            g.challengerToMove = true;
            return;
        }
        // Both claims for mid are in: agree -> the fault is above mid; disagree -> at or below.
        if (g.pendingClaim == hash) {
            g.lo = mid;
        } else {
            g.hi = mid;
            g.defenderClaimHi = g.pendingClaim;
            g.challengerClaimHi = hash;
        }
        g.pendingClaim = bytes32(0);
        g.challengerToMove = false;
        emit Bisected(gameId, g.phase, g.lo, g.hi);
        _settlePhase(gameId, g);
    }

    /// @notice Ends the game for the party that moved last when the mover's clock ran out.
    function timeout(uint256 gameId) external nonReentrant returns (Outcome outcome) {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Steps && g.phase != Phase.Graph) revert WrongPhase(gameId, g.phase);
        uint256 elapsed = block.timestamp - g.lastMoveAt;
        uint256 left = g.challengerToMove ? g.challengerTimeLeft : g.defenderTimeLeft;
        if (elapsed <= left) revert ClockNotExpired(gameId, elapsed, left);
        outcome = g.challengerToMove ? Outcome.DefenderWon : Outcome.ChallengerWon;
        _resolve(gameId, g, outcome);
    }

    /*//////////////////////////////////////////////////////////////
                                 RULING
    //////////////////////////////////////////////////////////////*/

    /// @notice The referee recomputed the one disputed operator: `correctHash` is the right
    /// hash for position hi of the graph phase. Rules for the party whose claim matches.
    function rule(uint256 gameId, bytes32 correctHash) external onlyRole(REFEREE_ROLE) nonReentrant returns (Outcome outcome) {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Referee) revert WrongPhase(gameId, g.phase);
        if (g.defenderClaimHi == correctHash) outcome = Outcome.DefenderWon;
        else if (g.challengerClaimHi == correctHash) outcome = Outcome.ChallengerWon;
        else outcome = Outcome.BothWrong;
        _resolve(gameId, g, outcome);
    }

    function getGame(uint256 gameId) external view returns (Game memory) {
        return _games[gameId];
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev When a range narrows to one: Steps -> Graph over that step's nodes -> Referee.
    /// The graph phase's claims at hi are the step's output-state claims (carried over).
    function _settlePhase(uint256 gameId, Game storage g) internal {
        if (g.phase == Phase.Steps && g.hi - g.lo == 1) {
            g.step = g.lo;
            g.phase = Phase.Graph;
            g.lo = 0;
            g.hi = g.graphNodes;
            emit PhaseAdvanced(gameId, Phase.Graph, g.step);
        }
        if (g.phase == Phase.Graph && g.hi - g.lo == 1) {
            g.node = g.lo;
            g.phase = Phase.Referee;
            emit PhaseAdvanced(gameId, Phase.Referee, g.node);
        }
    }

    function _resolve(uint256 gameId, Game storage g, Outcome outcome) internal {
        g.phase = Phase.Resolved;
        g.outcome = outcome;
        uint256 bond = g.bond;
        bondsHeld -= bond;
        uint256 dSlashed;
        uint256 cSlashed;
        address bondTo;
        if (outcome == Outcome.DefenderWon) {
            cSlashed = staking.slash(g.challenger, params.slashAmount, g.defender);
            bondTo = g.defender;
        } else if (outcome == Outcome.ChallengerWon) {
            dSlashed = staking.slash(g.defender, params.slashAmount, g.challenger);
            bondTo = g.challenger;
        } else {
            dSlashed = staking.slash(g.defender, params.slashAmount, treasury);
            cSlashed = staking.slash(g.challenger, params.slashAmount, treasury);
            bondTo = treasury;
        }
        if (bond > 0) token.safeTransfer(bondTo, bond);
        IJobMarketCallback(market).onDisputeResolved(g.jobId, outcome == Outcome.DefenderWon);
        emit GameResolved(gameId, outcome, dSlashed, cSlashed);
    }
}
