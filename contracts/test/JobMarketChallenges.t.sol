// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {DisputeGame} from "../src/DisputeGame.sol";

/// @notice Several challenges on one job (REFERENCE §1, §3): any verifier may challenge inside
/// the window, once, each with its bond; games run in parallel; the job is paid only after the
/// window with no game open and every game won by the solver; one loss rejects and refunds.
contract JobMarketChallengesTest is Protocol {
    address internal sub = address(0x5B);
    address internal solver = address(0x11);
    address[3] internal vs = [address(0x12), address(0x13), address(0x14)];
    uint256 internal constant FEE = 100e18;

    function setUp() public {
        deployProtocol();
        fund(sub, 0, 1_000_000e18);
        fund(solver, 100_000e18, 0);
        stakeAs(solver, 60_000e18);
        for (uint256 i = 0; i < 3; i++) {
            fund(vs[i], 100_000e18, 0);
            stakeAs(vs[i], 60_000e18);
        }
    }

    function _committed() internal returns (uint256 id) {
        return _committedShape(8, 5);
    }

    /// @dev steps = graphNodes = 1 sends a game straight to the referee (no clocks involved).
    function _committedShape(uint32 steps, uint32 graphNodes) internal returns (uint256 id) {
        vm.prank(sub);
        id = market.postJob(FEE, bytes32(uint256(0x11)), steps, graphNodes);
        address[] memory list = new address[](3);
        for (uint256 i = 0; i < 3; i++) list[i] = vs[i];
        vm.prank(operator);
        market.assign(id, solver, list);
        vm.prank(solver);
        market.commit(id, bytes32(uint256(0xaa)));
    }

    function _challenge(uint256 id, uint256 i) internal returns (uint256) {
        vm.prank(vs[i]);
        return market.challenge(id, bytes32(uint256(0xb0 + i)));
    }

    /// @dev The solver's first move in game `g` (right after the opening, on its clock); a
    /// game where it moved ends by timeout for the solver, one where it did not for the
    /// challenger (the party that moved last wins, REFERENCE §3).
    function _solverMoves(uint256 g) internal {
        vm.prank(solver);
        game.claim(g, bytes32(uint256(1)));
    }

    /// @dev Ends game `g` by timeout after every clock ran out (time moves CLOCK + 1).
    function _resolve(uint256 g) internal {
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(g);
    }

    function _status(uint256 id) internal view returns (JobMarket.Status) {
        return market.getJob(id).status;
    }

    // ------------------------------------------------------------ unit

    /// The reported hole: a lying verifier takes the first challenge and loses; the honest
    /// verifier's later challenge is accepted and rejects the lying solver.
    function test_HonestChallengeAfterLiarLost_RejectsSolver() public {
        uint256 id = _committedShape(1, 1);
        uint256 gLiar = _challenge(id, 0);
        vm.warp(block.timestamp + 60);
        vm.prank(referee);
        game.rule(gLiar, bytes32(uint256(0xaa))); // the referee's hash matches the solver's claim
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Upheld), "upheld so far");
        uint256 gHonest = _challenge(id, 1); // before: WrongStatus(Upheld), the hole
        vm.prank(referee);
        game.rule(gHonest, bytes32(uint256(0xb1)));
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Rejected), "rejected");
        assertEq(usd.balanceOf(sub), 1_000_000e18, "submitter refunded");
        assertEq(usd.balanceOf(solver), 0, "solver unpaid");
    }

    /// Both challenge at once (the usual case); the liar's game ends first and the solver wins
    /// it; the job stays Disputed, cannot be paid after the window, and the honest game rejects.
    function test_ParallelGames_NoPayWhileOneOpen_ThenRejects() public {
        uint256 id = _committed();
        uint256 gLiar = _challenge(id, 0);
        uint256 gHonest = _challenge(id, 1);
        assertEq(market.getJob(id).openDisputes, 2, "two open");
        assertEq(market.getJob(id).gameId, gHonest, "latest game");
        _solverMoves(gLiar);
        _resolve(gLiar);
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Disputed), "still disputed");
        vm.warp(market.getJob(id).committedAt + CHALLENGE_WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.WrongStatus.selector, id, JobMarket.Status.Disputed));
        market.finalize(id);
        _resolve(gHonest);
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Rejected), "rejected");
        assertEq(market.getJob(id).openDisputes, 0, "none open");
        assertEq(market.escrowed(), 0, "escrow empty");
        assertEq(market.refunded(), FEE, "refunded");
        assertEq(game.bondsHeld(), 0, "bonds paid out");
    }

    /// A game still open when the job is rejected plays on; its honest challenger wins it.
    function test_GameOnRejectedJob_SettlesByItsOwnRules() public {
        uint256 id = _committed();
        uint256 g1 = _challenge(id, 0);
        uint256 g2 = _challenge(id, 1);
        _resolve(g1);
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Rejected), "rejected by the first loss");
        uint256 before = token.balanceOf(vs[1]);
        _resolve(g2);
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Rejected), "stays rejected");
        assertEq(market.getJob(id).openDisputes, 0, "none open");
        assertEq(token.balanceOf(vs[1]), before + BOND + SLASH, "honest challenger: bond back and the slash");
        assertEq(market.refunded(), FEE, "refunded once");
        vm.expectRevert(abi.encodeWithSelector(JobMarket.WrongStatus.selector, id, JobMarket.Status.Rejected));
        vm.prank(vs[2]);
        market.challenge(id, bytes32(uint256(0xb2)));
    }

    function test_UpheldPaysOnlyAfterWindow() public {
        uint256 id = _committed();
        uint256 g = _challenge(id, 0);
        vm.prank(solver);
        game.claim(g, bytes32(uint256(1)));
        vm.warp(block.timestamp + CLOCK + 1);
        // Clock 1 h == window 1 h: timeout lands after the window here; check the order anyway.
        game.timeout(g);
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Upheld), "upheld");
        uint256 deadline = market.getJob(id).committedAt + CHALLENGE_WINDOW;
        if (block.timestamp <= deadline) {
            vm.expectRevert(abi.encodeWithSelector(JobMarket.ChallengeWindowOpen.selector, id, deadline));
            market.finalize(id);
            vm.warp(deadline + 1);
        }
        (uint256 solverPay,,) = market.finalize(id);
        assertEq(usd.balanceOf(solver), solverPay, "paid");
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Paid), "paid");
    }

    function test_UpheldJobCanStillBeChallengedInWindow() public {
        vm.prank(sub);
        uint256 id = market.postJob(FEE, bytes32(uint256(0x11)), 1, 1); // straight to the referee
        address[] memory list = new address[](2);
        list[0] = vs[0];
        list[1] = vs[1];
        vm.prank(operator);
        market.assign(id, solver, list);
        vm.prank(solver);
        market.commit(id, bytes32(uint256(0xaa)));
        uint256 g1 = _challenge(id, 0);
        vm.prank(referee);
        game.rule(g1, bytes32(uint256(0xaa)));
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Upheld), "upheld");
        uint256 g2 = _challenge(id, 1);
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Disputed), "disputed again");
        vm.prank(referee);
        game.rule(g2, bytes32(uint256(0xb1)));
        assertEq(uint256(_status(id)), uint256(JobMarket.Status.Rejected), "second challenge rejects");
    }

    function test_RevertWhen_VerifierChallengesTwice() public {
        uint256 id = _committed();
        _challenge(id, 0);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.AlreadyChallenged.selector, id, vs[0]));
        vm.prank(vs[0]);
        market.challenge(id, bytes32(uint256(0xcc)));
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    /// Bits 0-2 of `challenges`: verifier i challenges; bits 0-2 of `wins`: the solver wins
    /// game i; games resolve in the order given by `order`. Paid iff every game was won.
    function testFuzz_PaidOnlyIfSolverWinsEveryDispute(uint8 challenges, uint8 wins, uint8 order) public {
        uint256 id = _committed();
        uint256[3] memory games;
        uint256 opened;
        bool anyLoss;
        for (uint256 i = 0; i < 3; i++) {
            if ((challenges >> i) & 1 == 0) continue;
            games[i] = _challenge(id, i);
            opened++;
            if ((wins >> i) & 1 == 1) _solverMoves(games[i]);
            else anyLoss = true;
        }
        assertEq(market.getJob(id).openDisputes, opened, "one open game per challenge");
        assertEq(game.bondsHeld(), opened * BOND, "one bond per challenge");
        for (uint256 k = 0; k < 3; k++) {
            uint256 i = (k + order) % 3;
            if (games[i] != 0) _resolve(games[i]);
        }
        vm.warp(market.getJob(id).committedAt + CHALLENGE_WINDOW + 1);
        assertEq(market.getJob(id).openDisputes, 0, "all closed");
        assertEq(game.bondsHeld(), 0, "bonds conserved");
        assertEq(token.balanceOf(address(game)), 0, "game holds nothing");
        if (anyLoss) {
            assertEq(uint256(_status(id)), uint256(JobMarket.Status.Rejected), "a loss rejects");
            assertEq(market.refunded(), FEE, "submitter refunded");
            assertEq(usd.balanceOf(solver), 0, "solver unpaid");
        } else {
            market.finalize(id);
            assertEq(uint256(_status(id)), uint256(JobMarket.Status.Paid), "all won: paid");
            assertEq(market.paidOut(), FEE, "paid out");
        }
        assertEq(market.escrowed() + market.paidOut() + market.refunded(), market.posted(), "escrow conservation");
        assertEq(usd.balanceOf(address(market)), 0, "escrow empty");
    }

    function test_PaidOnlyIfSolverWinsEveryDispute_Fixed() public {
        testFuzz_PaidOnlyIfSolverWinsEveryDispute(0x7, 0x5, 1); // liar, honest, liar: rejected
    }
}
