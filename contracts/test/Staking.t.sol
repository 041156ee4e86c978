// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {Token} from "../src/Token.sol";
import {Staking} from "../src/Staking.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Random stakes, unstakes, withdrawals, time jumps, authorised slashes and slash
/// attempts by unauthorised callers; keeps ghost totals of what went in and out.
contract StakingHandler is Test {
    Token public token;
    Staking public staking;
    address public slasher;
    address[] public stakers;
    uint256 public ghostIn;
    uint256 public ghostWithdrawn;
    uint256 public ghostSlashed;
    uint256 public unauthorisedSlashes;

    constructor(Token token_, Staking staking_, address slasher_, address[] memory stakers_) {
        token = token_;
        staking = staking_;
        slasher = slasher_;
        stakers = stakers_;
    }

    function stake(uint256 who, uint256 amount) external {
        address a = stakers[who % stakers.length];
        amount = bound(amount, 1, token.balanceOf(a) == 0 ? 1 : token.balanceOf(a));
        if (token.balanceOf(a) < amount) return;
        vm.prank(a);
        staking.stake(amount);
        ghostIn += amount;
    }

    function requestUnstake(uint256 who, uint256 amount) external {
        address a = stakers[who % stakers.length];
        uint256 s = staking.stakeOf(a);
        if (s == 0) return;
        vm.prank(a);
        staking.requestUnstake(bound(amount, 1, s));
    }

    function withdraw(uint256 who, uint256 jump) external {
        address a = stakers[who % stakers.length];
        (uint256 amount, uint256 unlockAt) = staking.pendingUnstake(a);
        if (amount == 0) return;
        vm.warp(block.timestamp + bound(jump, 0, 8 days));
        if (block.timestamp < unlockAt) return;
        vm.prank(a);
        ghostWithdrawn += staking.withdraw();
    }

    function slash(uint256 who, uint256 amount) external {
        address a = stakers[who % stakers.length];
        vm.prank(slasher);
        ghostSlashed += staking.slash(a, bound(amount, 0, 1e24), address(0xFEE));
    }

    function slashUnauthorised(uint256 who, uint256 callerSeed, uint256 amount) external {
        address a = stakers[who % stakers.length];
        address caller = stakers[callerSeed % stakers.length];
        vm.prank(caller);
        try staking.slash(a, amount, caller) returns (uint256) {
            unauthorisedSlashes += 1;
        } catch {}
    }

    function stakerCount() external view returns (uint256) {
        return stakers.length;
    }
}

contract StakingTest is Test {
    Token internal token;
    Staking internal staking;
    StakingHandler internal handler;
    address internal admin = address(0xD0);
    address internal slasher = address(0x51);
    address internal alice = address(0xA1);
    address internal bob = address(0xB2);
    uint256 internal constant DELAY = 7 days;

    function setUp() public {
        vm.warp(1_700_000_000);
        token = new Token(admin);
        staking = new Staking(token, DELAY, admin);
        vm.startPrank(admin);
        staking.grantRole(staking.SLASHER_ROLE(), slasher);
        token.transfer(alice, 10_000e18);
        token.transfer(bob, 10_000e18);
        vm.stopPrank();
        vm.prank(alice);
        token.approve(address(staking), type(uint256).max);
        vm.prank(bob);
        token.approve(address(staking), type(uint256).max);

        address[] memory ss = new address[](2);
        ss[0] = alice;
        ss[1] = bob;
        handler = new StakingHandler(token, staking, slasher, ss);
        targetContract(address(handler));
    }

    // ------------------------------------------------------------ unit

    function test_StakeMovesTokensIn() public {
        vm.prank(alice);
        staking.stake(1_500e18);
        assertEq(staking.stakeOf(alice), 1_500e18, "stake");
        assertEq(token.balanceOf(address(staking)), 1_500e18, "held");
        assertEq(token.balanceOf(alice), 8_500e18, "wallet");
    }

    function test_UnstakeUnlocksAfterDelay() public {
        vm.startPrank(alice);
        staking.stake(1_000e18);
        staking.requestUnstake(400e18);
        (uint256 amount, uint256 unlockAt) = staking.pendingUnstake(alice);
        assertEq(amount, 400e18, "pending");
        assertEq(unlockAt, 1_700_000_000 + DELAY, "unlockAt");
        assertEq(staking.stakeOf(alice), 600e18, "active");
        vm.warp(unlockAt);
        assertEq(staking.withdraw(), 400e18, "withdrawn");
        vm.stopPrank();
        assertEq(token.balanceOf(alice), 9_400e18, "wallet");
        assertEq(staking.totalStaked(), 600e18, "total");
    }

    function test_SlashTakesStakeThenPending() public {
        vm.startPrank(alice);
        staking.stake(1_000e18);
        staking.requestUnstake(700e18);
        vm.stopPrank();
        vm.prank(slasher);
        uint256 slashed = staking.slash(alice, 500e18, bob);
        assertEq(slashed, 500e18, "slashed");
        assertEq(staking.stakeOf(alice), 0, "active gone first");
        (uint256 pending,) = staking.pendingUnstake(alice);
        assertEq(pending, 500e18, "pending rest");
        assertEq(token.balanceOf(bob), 10_500e18, "recipient paid");
    }

    function test_SlashIsCappedByWhatIsStaked() public {
        vm.prank(alice);
        staking.stake(100e18);
        vm.prank(slasher);
        assertEq(staking.slash(alice, 500e18, bob), 100e18, "capped");
    }

    function test_RevertWhen_UnauthorisedSlash() public {
        vm.prank(alice);
        staking.stake(100e18);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, staking.SLASHER_ROLE())
        );
        vm.prank(bob);
        staking.slash(alice, 1, bob);
    }

    function test_RevertWhen_WithdrawBeforeUnlock() public {
        vm.startPrank(alice);
        staking.stake(100e18);
        staking.requestUnstake(100e18);
        vm.warp(1_700_000_000 + DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(Staking.UnstakeLocked.selector, alice, 1_700_000_000 + DELAY, 1_700_000_000 + DELAY - 1)
        );
        staking.withdraw();
        vm.stopPrank();
    }

    function test_RevertWhen_UnstakingMoreThanStaked() public {
        vm.startPrank(alice);
        staking.stake(100e18);
        vm.expectRevert(abi.encodeWithSelector(Staking.InsufficientStake.selector, alice, 100e18, 101e18));
        staking.requestUnstake(101e18);
        vm.stopPrank();
    }

    function test_RevertWhen_StakingZero() public {
        vm.expectRevert(Staking.ZeroAmount.selector);
        vm.prank(alice);
        staking.stake(0);
    }

    function test_RevertWhen_NothingToWithdraw() public {
        vm.expectRevert(abi.encodeWithSelector(Staking.NothingToWithdraw.selector, alice));
        vm.prank(alice);
        staking.withdraw();
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function testFuzz_SlashSplitsBetweenStakeAndPending(uint256 staked, uint256 unstaked, uint256 amount) public {
        staked = bound(staked, 1, 10_000e18);
        unstaked = bound(unstaked, 0, staked);
        amount = bound(amount, 0, 20_000e18);
        vm.startPrank(alice);
        staking.stake(staked);
        if (unstaked > 0) staking.requestUnstake(unstaked);
        vm.stopPrank();
        vm.prank(slasher);
        uint256 slashed = staking.slash(alice, amount, bob);
        uint256 expected = amount < staked ? amount : staked;
        assertEq(slashed, expected, "slashed = min(amount, stake + pending)");
        (uint256 pending,) = staking.pendingUnstake(alice);
        assertEq(staking.stakeOf(alice) + pending, staked - expected, "left");
        assertEq(token.balanceOf(address(staking)), staking.totalStaked(), "balance == totalStaked");
    }

    function test_SlashSplitsBetweenStakeAndPending_Fixed() public {
        testFuzz_SlashSplitsBetweenStakeAndPending(3_000e18, 2_000e18, 1_500e18);
    }

    // ------------------------------------------------------------ invariants

    function invariant_HeldEqualsStakedPlusPending() public view {
        uint256 sum;
        for (uint256 i = 0; i < handler.stakerCount(); i++) {
            address a = handler.stakers(i);
            (uint256 pending,) = staking.pendingUnstake(a);
            sum += staking.stakeOf(a) + pending;
        }
        assertEq(sum, staking.totalStaked(), "sum == totalStaked");
        assertEq(token.balanceOf(address(staking)), staking.totalStaked(), "balance == totalStaked");
    }

    function invariant_OnlyAuthorisedCallersSlash() public view {
        assertEq(handler.unauthorisedSlashes(), 0, "no unauthorised slash succeeded");
        assertEq(
            handler.ghostIn() - handler.ghostWithdrawn() - handler.ghostSlashed(), staking.totalStaked(), "in - out == held"
        );
        assertEq(token.balanceOf(address(0xFEE)), handler.ghostSlashed(), "slashed went to the recipient only");
    }
}
