// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {Test} from "./utils/Test.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {DisputeGame} from "../src/DisputeGame.sol";
import {StableToken} from "../src/StableToken.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Drives random jobs through post, cancel, assign, commit, challenge, referee ruling
/// and finalize, with time jumps; counts the USD that went in.
contract JobMarketHandler is Test {
    JobMarket public market;
    DisputeGame public game;
    StableToken public usd;
    address public operator;
    address public referee;
    address public submitter;
    address[] public nodes;
    uint256 public ghostPosted;

    constructor(JobMarket m, DisputeGame g, StableToken u, address op, address ref, address sub, address[] memory ns) {
        market = m;
        game = g;
        usd = u;
        operator = op;
        referee = ref;
        submitter = sub;
        nodes = ns;
    }

    function post(uint256 fee) external {
        fee = bound(fee, 1, 1_000e18);
        if (usd.balanceOf(submitter) < fee) return;
        vm.prank(submitter);
        market.postJob(fee, keccak256(abi.encode(fee)), 8, 4);
        ghostPosted += fee;
    }

    function cancel(uint256 jobSeed) external {
        uint256 id = _job(jobSeed);
        if (market.getJob(id).status != JobMarket.Status.Posted) return;
        vm.prank(submitter);
        market.cancelJob(id);
    }

    function assign(uint256 jobSeed, uint256 solverSeed) external {
        uint256 id = _job(jobSeed);
        if (market.getJob(id).status != JobMarket.Status.Posted) return;
        address solver = nodes[solverSeed % nodes.length];
        address[] memory vs = new address[](1);
        vs[0] = nodes[(solverSeed + 1) % nodes.length];
        vm.prank(operator);
        market.assign(id, solver, vs);
    }

    function commit(uint256 jobSeed) external {
        uint256 id = _job(jobSeed);
        JobMarket.Job memory j = market.getJob(id);
        if (j.status != JobMarket.Status.Assigned) return;
        vm.prank(j.solver);
        market.commit(id, bytes32(uint256(0xaa)));
    }

    function challengeAndRule(uint256 jobSeed, bool solverRight) external {
        uint256 id = _job(jobSeed);
        JobMarket.Job memory j = market.getJob(id);
        if (j.status != JobMarket.Status.Committed || block.timestamp > j.committedAt + 1 hours) return;
        address v = market.verifiersOf(id)[0];
        vm.prank(v);
        uint256 g = market.challenge(id, bytes32(uint256(0xbb)));
        // Timeout path: the defender never answers, so the challenger (moved last) wins, or
        // the defender answers and the challenger then runs out of clock.
        if (!solverRight) {
            vm.warp(block.timestamp + 1 hours + 1);
        } else {
            vm.prank(j.solver);
            game.claim(g, bytes32(uint256(1)));
            vm.warp(block.timestamp + 1 hours + 1);
        }
        game.timeout(g);
    }

    function finalize(uint256 jobSeed) external {
        uint256 id = _job(jobSeed);
        JobMarket.Job memory j = market.getJob(id);
        if (j.status == JobMarket.Status.Committed && block.timestamp <= j.committedAt + 1 hours) return;
        if (j.status != JobMarket.Status.Committed && j.status != JobMarket.Status.Upheld) return;
        market.finalize(id);
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 2 hours));
    }

    function _job(uint256 seed) internal view returns (uint256) {
        uint256 n = market.jobCount();
        return n == 0 ? 0 : 1 + (seed % n);
    }
}

contract JobMarketTest is Protocol {
    address internal sub = address(0x5B);
    address internal n1 = address(0x11);
    address internal n2 = address(0x12);
    address internal n3 = address(0x13);
    JobMarketHandler internal handler;

    function setUp() public {
        deployProtocol();
        fund(sub, 0, 1_000_000e18);
        address[] memory ns = new address[](3);
        ns[0] = n1;
        ns[1] = n2;
        ns[2] = n3;
        for (uint256 i = 0; i < 3; i++) {
            fund(ns[i], 100_000e18, 0);
            stakeAs(ns[i], 60_000e18);
        }
        handler = new JobMarketHandler(market, game, usd, operator, referee, sub, ns);
        targetContract(address(handler));
    }

    function _committed(uint256 fee) internal returns (uint256 id) {
        vm.prank(sub);
        id = market.postJob(fee, bytes32(uint256(0x11)), 8, 5);
        address[] memory vs = new address[](1);
        vs[0] = n2;
        vm.prank(operator);
        market.assign(id, n1, vs);
        vm.prank(n1);
        market.commit(id, bytes32(uint256(0xaa)));
    }

    // ------------------------------------------------------------ unit

    function test_PaysAfterWindow_HalfPercentToVault_TenPercentToVerifiers() public {
        uint256 id = _committed(100e18);
        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        (uint256 solverPay, uint256 perVerifier, uint256 fee) = market.finalize(id);
        assertEq(solverPay, 89.5e18, "solver");
        assertEq(perVerifier, 10e18, "verifier");
        assertEq(fee, 0.5e18, "protocol fee");
        assertEq(usd.balanceOf(address(vault)), 0.5e18, "vault got the fee");
        assertEq(usd.balanceOf(n1), 89.5e18, "solver paid");
        assertEq(market.escrowed(), 0, "escrow empty");
        assertEq(market.paidOut(), 100e18, "paid out");
    }

    function test_CancelRefundsSubmitter() public {
        vm.prank(sub);
        uint256 id = market.postJob(100e18, bytes32(0), 4, 4);
        vm.prank(sub);
        market.cancelJob(id);
        assertEq(usd.balanceOf(sub), 1_000_000e18, "refunded");
        assertEq(market.refunded(), 100e18, "refund counted");
    }

    function test_RevertWhen_FinalizingInsideWindow() public {
        uint256 id = _committed(100e18);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.ChallengeWindowOpen.selector, id, block.timestamp + CHALLENGE_WINDOW));
        market.finalize(id);
    }

    function test_RevertWhen_ChallengingAfterWindow() public {
        uint256 id = _committed(100e18);
        uint256 deadline = block.timestamp + CHALLENGE_WINDOW;
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.ChallengeWindowClosed.selector, id, deadline));
        vm.prank(n2);
        market.challenge(id, bytes32(uint256(0xbb)));
    }

    function test_RevertWhen_NonVerifierChallenges() public {
        uint256 id = _committed(100e18);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.NotVerifier.selector, id, n3));
        vm.prank(n3);
        market.challenge(id, bytes32(uint256(0xbb)));
    }

    function test_RevertWhen_ChallengerAgreesWithRoot() public {
        uint256 id = _committed(100e18);
        vm.expectRevert(abi.encodeWithSelector(DisputeGame.ClaimsAgree.selector, bytes32(uint256(0xaa))));
        vm.prank(n2);
        market.challenge(id, bytes32(uint256(0xaa)));
    }

    function test_RevertWhen_AssignerLacksRole() public {
        vm.prank(sub);
        uint256 id = market.postJob(100e18, bytes32(0), 4, 4);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, n1, market.ASSIGNER_ROLE())
        );
        vm.prank(n1);
        market.assign(id, n1, new address[](0));
    }

    function test_RevertWhen_SolverUnderstaked() public {
        vm.prank(sub);
        uint256 id = market.postJob(100e18, bytes32(0), 4, 4);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.InsufficientStake.selector, sub, 0, MIN_SOLVER_STAKE));
        vm.prank(operator);
        market.assign(id, sub, new address[](0));
    }

    function test_RevertWhen_VerifierRepeated() public {
        vm.prank(sub);
        uint256 id = market.postJob(100e18, bytes32(0), 4, 4);
        address[] memory vs = new address[](2);
        vs[0] = n2;
        vs[1] = n2;
        vm.expectRevert(abi.encodeWithSelector(JobMarket.InvalidVerifiers.selector, id));
        vm.prank(operator);
        market.assign(id, n1, vs);
    }

    function test_RevertWhen_NonSubmitterCancels() public {
        vm.prank(sub);
        uint256 id = market.postJob(100e18, bytes32(0), 4, 4);
        vm.expectRevert(abi.encodeWithSelector(JobMarket.NotSubmitter.selector, id, n1));
        vm.prank(n1);
        market.cancelJob(id);
    }

    function test_RevertWhen_PostingZeroFee() public {
        vm.expectRevert(abi.encodeWithSelector(JobMarket.InvalidJob.selector, 0, 4, 4));
        vm.prank(sub);
        market.postJob(0, bytes32(0), 4, 4);
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function testFuzz_PayoutPartsSumToFee(uint256 fee, uint8 verifierCount) public {
        fee = bound(fee, 1, 1_000_000e18);
        uint256 n = bound(verifierCount, 0, 2);
        vm.prank(sub);
        uint256 id = market.postJob(fee, bytes32(0), 4, 4);
        address[] memory vs = new address[](n);
        if (n > 0) vs[0] = n2;
        if (n > 1) vs[1] = n3;
        vm.prank(operator);
        market.assign(id, n1, vs);
        vm.prank(n1);
        market.commit(id, bytes32(uint256(1)));
        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        (uint256 solverPay, uint256 perVerifier, uint256 protocolFee) = market.finalize(id);
        assertEq(solverPay + perVerifier * n + protocolFee, fee, "parts sum to the fee");
        assertEq(protocolFee, (fee * PROTOCOL_FEE_BPS) / 10_000, "protocol fee rounds down");
        assertEq(usd.balanceOf(address(market)), 0, "nothing left in escrow");
    }

    function test_PayoutPartsSumToFee_Fixed() public {
        testFuzz_PayoutPartsSumToFee(333_333_333_333_333_333_333, 2);
    }

    // ------------------------------------------------------------ invariants

    function invariant_EscrowedPlusPaidOutEqualsPosted() public view {
        assertEq(market.escrowed() + market.paidOut() + market.refunded(), market.posted(), "escrow conservation");
        assertEq(market.posted(), handler.ghostPosted(), "posted == what submitters sent");
        assertEq(usd.balanceOf(address(market)), market.escrowed(), "market holds exactly the escrow");
    }

    function invariant_BondsHeldMatchGameBalance() public view {
        assertEq(token.balanceOf(address(game)), game.bondsHeld(), "bonds conserved");
    }
}
