// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {Test} from "./utils/Test.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {DisputeGame} from "../src/DisputeGame.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Plays random moves (right or wrong party, any hash), timeouts and rulings on games
/// opened by the test; the game's bond accounting must hold whatever happens.
contract DisputeGameHandler is Test {
    DisputeGame public game;
    address public referee;

    constructor(DisputeGame g, address ref) {
        game = g;
        referee = ref;
    }

    function claim(uint256 gameSeed, bool rightParty, uint8 hashSeed) external {
        uint256 id = _game(gameSeed);
        DisputeGame.Game memory g = game.getGame(id);
        if (g.phase != DisputeGame.Phase.Steps && g.phase != DisputeGame.Phase.Graph) return;
        address mover = g.challengerToMove ? g.challenger : g.defender;
        if (block.timestamp - g.lastMoveAt > (g.challengerToMove ? g.challengerTimeLeft : g.defenderTimeLeft)) return;
        vm.prank(rightParty ? mover : address(0xBAD));
        try game.claim(id, bytes32(uint256(hashSeed % 3))) {} catch {}
    }

    function timeout(uint256 gameSeed, uint256 wait) external {
        vm.warp(block.timestamp + bound(wait, 0, 2 hours));
        try game.timeout(_game(gameSeed)) {} catch {}
    }

    function rule(uint256 gameSeed, uint8 hashSeed) external {
        vm.prank(referee);
        try game.rule(_game(gameSeed), bytes32(uint256(hashSeed % 3))) {} catch {}
    }

    function _game(uint256 seed) internal view returns (uint256) {
        uint256 n = game.gameCount();
        return n == 0 ? 0 : 1 + (seed % n);
    }
}

contract DisputeGameTest is Protocol {
    address internal sub = address(0x5B);
    address internal n1 = address(0x11); // solver, defender
    address internal n2 = address(0x12); // verifier, challenger
    DisputeGameHandler internal handler;

    function setUp() public {
        deployProtocol();
        fund(sub, 0, 1_000_000e18);
        fund(n1, 100_000e18, 0);
        fund(n2, 100_000e18, 0);
        stakeAs(n1, 50_000e18);
        stakeAs(n2, 50_000e18);
        handler = new DisputeGameHandler(game, referee);
        targetContract(address(handler));
        // A few open games for the invariant runs to play on.
        for (uint256 i = 0; i < 4; i++) _open(uint32(3 + i * 5), uint32(2 + i * 3));
    }

    function _open(uint32 steps, uint32 graphNodes) internal returns (uint256 jobId, uint256 gameId) {
        vm.prank(sub);
        jobId = market.postJob(100e18, bytes32(uint256(0x11)), steps, graphNodes);
        address[] memory vs = new address[](1);
        vs[0] = n2;
        vm.prank(operator);
        market.assign(jobId, n1, vs);
        vm.prank(n1);
        market.commit(jobId, bytes32(uint256(0xaa)));
        vm.prank(n2);
        gameId = market.challenge(jobId, bytes32(uint256(0xbb)));
    }

    function _round(uint256 g, bytes32 d, bytes32 c) internal {
        vm.prank(n1);
        game.claim(g, d);
        vm.prank(n2);
        game.claim(g, c);
    }

    // ------------------------------------------------------------ unit

    /// Same moves and values as core/ledger/memoryLedger.test.ts "bisects steps then graph nodes".
    function test_BisectsStepsThenGraphThenRefereeRulesForChallenger() public {
        uint256 before = token.balanceOf(n2);
        (uint256 jobId, uint256 g) = _open(8, 5);
        assertEq(token.balanceOf(n2), before - BOND, "bond posted");
        _round(g, bytes32(uint256(1)), bytes32(uint256(1)));
        _round(g, bytes32(uint256(2)), bytes32(uint256(3)));
        _round(g, bytes32(uint256(4)), bytes32(uint256(4)));
        DisputeGame.Game memory s = game.getGame(g);
        assertEq(uint256(s.phase), uint256(DisputeGame.Phase.Graph), "graph phase");
        assertEq(s.step, 5, "disputed step");
        _round(g, bytes32(uint256(5)), bytes32(uint256(6)));
        _round(g, bytes32(uint256(7)), bytes32(uint256(7)));
        s = game.getGame(g);
        assertEq(uint256(s.phase), uint256(DisputeGame.Phase.Referee), "referee phase");
        assertEq(s.node, 1, "disputed node");
        assertEq(s.moves, 10, "moves");
        vm.prank(referee);
        DisputeGame.Outcome o = game.rule(g, bytes32(uint256(6)));
        assertEq(uint256(o), uint256(DisputeGame.Outcome.ChallengerWon), "challenger won");
        assertEq(token.balanceOf(n2), before + SLASH, "bond back + slash");
        assertEq(staking.stakeOf(n1), 49_500e18, "defender slashed");
        assertEq(uint256(market.getJob(jobId).status), uint256(JobMarket.Status.Rejected), "job rejected");
        assertEq(game.bondsHeld(), 4 * BOND, "only the setUp games' bonds left");
    }

    function test_OneStepOneNodeGoesToRefereeAndBothWrongSlashesBoth() public {
        (, uint256 g) = _open(1, 1);
        assertEq(uint256(game.getGame(g).phase), uint256(DisputeGame.Phase.Referee), "straight to referee");
        vm.prank(referee);
        game.rule(g, bytes32(uint256(0xcc)));
        assertEq(token.balanceOf(treasury), 2 * SLASH + BOND, "treasury takes both slashes and the bond");
    }

    function test_TimeoutDecidesForThePartyThatMovedLast() public {
        (uint256 jobId, uint256 g) = _open(8, 5);
        vm.warp(block.timestamp + 100);
        vm.prank(n1);
        game.claim(g, bytes32(uint256(1)));
        vm.warp(block.timestamp + CLOCK + 1);
        assertEq(uint256(game.timeout(g)), uint256(DisputeGame.Outcome.DefenderWon), "defender moved last");
        assertEq(uint256(market.getJob(jobId).status), uint256(JobMarket.Status.Upheld), "upheld");
        (uint256 solverPay,,) = market.finalize(jobId);
        assertEq(solverPay, 89.5e18, "paid after upheld");
        assertEq(token.balanceOf(n1), 50_000e18 + BOND + SLASH, "defender got bond and slash");
    }

    function test_RevertWhen_ClockExpired() public {
        (, uint256 g) = _open(8, 5);
        vm.warp(block.timestamp + CLOCK + 1);
        vm.expectRevert(abi.encodeWithSelector(DisputeGame.ClockExpired.selector, g, CLOCK + 1, CLOCK));
        vm.prank(n1);
        game.claim(g, bytes32(uint256(1)));
    }

    function test_RevertWhen_TimeoutBeforeClockRunsOut() public {
        (, uint256 g) = _open(8, 5);
        vm.warp(block.timestamp + CLOCK);
        vm.expectRevert(abi.encodeWithSelector(DisputeGame.ClockNotExpired.selector, g, CLOCK, CLOCK));
        game.timeout(g);
    }

    function test_RevertWhen_NotYourTurn() public {
        (, uint256 g) = _open(8, 5);
        vm.expectRevert(abi.encodeWithSelector(DisputeGame.NotYourTurn.selector, g, n2));
        vm.prank(n2);
        game.claim(g, bytes32(uint256(1)));
    }

    function test_RevertWhen_RefereeRulesDuringBisection() public {
        (, uint256 g) = _open(8, 5);
        vm.expectRevert(abi.encodeWithSelector(DisputeGame.WrongPhase.selector, g, DisputeGame.Phase.Steps));
        vm.prank(referee);
        game.rule(g, bytes32(0));
    }

    function test_RevertWhen_NonRefereeRules() public {
        (, uint256 g) = _open(1, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, n1, game.REFEREE_ROLE())
        );
        vm.prank(n1);
        game.rule(g, bytes32(0));
    }

    function test_RevertWhen_AnyoneButMarketOpens() public {
        vm.expectRevert(abi.encodeWithSelector(DisputeGame.NotMarket.selector, n1));
        vm.prank(n1);
        game.open(1, n1, n2, bytes32(uint256(1)), bytes32(uint256(2)), 4, 4);
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function _stepHash(uint256 pos, bool liar, uint256 fault) internal pure returns (bytes32) {
        return keccak256(abi.encode("step", pos, liar && pos > fault));
    }

    function _graphHash(uint256 pos, bool liar, uint256 node, uint256 m, uint256 step) internal pure returns (bytes32) {
        if (pos == m) return _stepHash(step + 1, liar, step); // the graph chain ends in the step's output
        return keccak256(abi.encode("graph", pos, liar && pos > node));
    }

    struct Fault {
        uint32 steps;
        uint32 step;
        uint32 nodes;
        uint32 node;
        bool defenderLies;
    }

    function _openFaulty(Fault memory f) internal returns (uint256 g) {
        vm.prank(sub);
        uint256 jobId = market.postJob(100e18, bytes32(0), f.steps, f.nodes);
        address[] memory vs = new address[](1);
        vs[0] = n2;
        vm.prank(operator);
        market.assign(jobId, n1, vs);
        vm.prank(n1);
        market.commit(jobId, _stepHash(f.steps, f.defenderLies, f.step));
        vm.prank(n2);
        g = market.challenge(jobId, _stepHash(f.steps, !f.defenderLies, f.step));
    }

    function _claimFor(Fault memory f, DisputeGame.Game memory s, bool liar) internal pure returns (bytes32) {
        uint256 mid = s.lo + (s.hi - s.lo) / 2;
        if (s.phase == DisputeGame.Phase.Graph) return _graphHash(mid, liar, f.node, f.nodes, f.step);
        return _stepHash(mid, liar, f.step);
    }

    /// Verde (REFERENCE §3 / §10.6): the honest party always wins, the bisection finds the
    /// faulty step and node, and rounds stay logarithmic.
    function testFuzz_HonestPartyAlwaysWins(uint32 steps, uint32 step, uint32 nodes, uint32 node, bool defenderLies) public {
        Fault memory f;
        f.steps = uint32(bound(steps, 1, 1_000_000));
        f.step = uint32(bound(step, 0, f.steps - 1));
        f.nodes = uint32(bound(nodes, 1, 100_000));
        f.node = uint32(bound(node, 0, f.nodes - 1));
        f.defenderLies = defenderLies;
        uint256 g = _openFaulty(f);
        uint256 rounds;
        DisputeGame.Game memory s = game.getGame(g);
        while (s.phase != DisputeGame.Phase.Referee) {
            _round(g, _claimFor(f, s, f.defenderLies), _claimFor(f, s, !f.defenderLies));
            rounds++;
            s = game.getGame(g);
        }
        assertEq(s.step, f.step, "found the faulty step");
        assertEq(s.node, f.node, "found the faulty node");
        assertLe(rounds, 20 + 17, "log2(steps) + log2(nodes) rounds");
        vm.prank(referee);
        DisputeGame.Outcome o = game.rule(g, _graphHash(s.hi, false, f.node, f.nodes, f.step));
        DisputeGame.Outcome want = f.defenderLies ? DisputeGame.Outcome.ChallengerWon : DisputeGame.Outcome.DefenderWon;
        assertEq(uint256(o), uint256(want), "honest party wins");
    }

    function test_HonestPartyAlwaysWins_Fixed() public {
        testFuzz_HonestPartyAlwaysWins(1_000, 617, 64, 63, true);
    }

    // ------------------------------------------------------------ invariants

    function invariant_BondsConserved() public view {
        uint256 open;
        uint256 resolved;
        for (uint256 i = 1; i <= game.gameCount(); i++) {
            if (game.getGame(i).phase == DisputeGame.Phase.Resolved) resolved++;
            else open += game.getGame(i).bond;
        }
        assertEq(game.bondsHeld(), open, "bondsHeld == bonds of open games");
        assertEq(token.balanceOf(address(game)), game.bondsHeld(), "balance == bondsHeld");
        assertEq(game.gameCount() * BOND, open + resolved * BOND, "posted == held + paid out");
    }

    function invariant_StakesBackedAfterSlashes() public view {
        assertEq(token.balanceOf(address(staking)), staking.totalStaked(), "staking balance == totalStaked");
        assertEq(token.totalSupply(), token.MAX_SUPPLY(), "disputes never mint or burn");
    }
}
