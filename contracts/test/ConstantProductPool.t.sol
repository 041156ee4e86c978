// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {Test} from "./utils/Test.sol";
import {ConstantProductPool} from "../src/ConstantProductPool.sol";
import {Token} from "../src/Token.sol";
import {StableToken} from "../src/StableToken.sol";

/// @notice Random swaps in both directions by one trader.
contract PoolHandler is Test {
    ConstantProductPool public pool;
    Token public token;
    StableToken public usd;
    address public trader;

    constructor(ConstantProductPool p, Token t, StableToken u, address trader_) {
        pool = p;
        token = t;
        usd = u;
        trader = trader_;
    }

    function swapUsd(uint256 amount) external {
        amount = bound(amount, 1e12, usd.balanceOf(trader) / 4 + 1e12);
        if (usd.balanceOf(trader) < amount) return;
        vm.prank(trader);
        try pool.swap(address(usd), amount, 0, trader) {} catch {}
    }

    function swapToken(uint256 amount) external {
        amount = bound(amount, 1e12, token.balanceOf(trader) / 4 + 1e12);
        if (token.balanceOf(trader) < amount) return;
        vm.prank(trader);
        try pool.swap(address(token), amount, 0, trader) {} catch {}
    }
}

contract ConstantProductPoolTest is Protocol {
    address internal trader = address(0x77);
    PoolHandler internal handler;
    uint256 internal k0;

    function setUp() public {
        deployProtocol();
        fund(trader, 10_000_000e18, 100_000e18);
        handler = new PoolHandler(pool, token, usd, trader);
        targetContract(address(handler));
        k0 = pool.usdReserve() * pool.tokenReserve();
    }

    // ------------------------------------------------------------ unit

    /// Same value as core/ledger/memoryLedger.test.ts "swap revert: output below minOut".
    function test_SwapsTokenForUsdWithFee() public {
        vm.prank(trader);
        uint256 out = pool.swap(address(token), 100e18, 0, trader);
        assertEq(out, 996_999_005_991_991_025, "uniswap v2 output with 0.3% fee");
        assertEq(pool.tokenReserve(), SEED_GSN + 100e18, "reserve in");
        assertEq(pool.usdReserve(), SEED_USD - out, "reserve out");
    }

    function test_RevertWhen_OutputBelowMinimum() public {
        vm.expectRevert(abi.encodeWithSelector(ConstantProductPool.InsufficientOutput.selector, 996_999_005_991_991_025, 10e18));
        vm.prank(trader);
        pool.swap(address(token), 100e18, 10e18, trader);
    }

    function test_RevertWhen_SeededTwice() public {
        vm.expectRevert(ConstantProductPool.AlreadySeeded.selector);
        vm.prank(deployer);
        pool.seed(1, 1);
    }

    function test_RevertWhen_TokenUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(ConstantProductPool.InvalidToken.selector, address(0x1234)));
        vm.prank(trader);
        pool.swap(address(0x1234), 1e18, 0, trader);
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function testFuzz_RoundTripNeverProfits(uint256 amountIn) public {
        amountIn = bound(amountIn, 1e9, 100_000e18);
        vm.startPrank(trader);
        uint256 tokens = pool.swap(address(usd), amountIn, 0, trader);
        uint256 back = pool.swap(address(token), tokens, 0, trader);
        vm.stopPrank();
        assertLe(back, amountIn, "no free money through the fee");
        assertGe(pool.usdReserve() * pool.tokenReserve(), k0, "k never falls");
    }

    function test_RoundTripNeverProfits_Fixed() public {
        testFuzz_RoundTripNeverProfits(12_345e18);
    }

    // ------------------------------------------------------------ invariants

    function invariant_ReservesMatchBalancesAndKNeverFalls() public view {
        assertEq(usd.balanceOf(address(pool)), pool.usdReserve(), "usd reserve");
        assertEq(token.balanceOf(address(pool)), pool.tokenReserve(), "token reserve");
        assertGe(pool.usdReserve() * pool.tokenReserve(), k0, "k grows by fees only");
    }
}
