// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {Test} from "./utils/Test.sol";
import {BuybackVault} from "../src/BuybackVault.sol";
import {Token} from "../src/Token.sol";
import {StableToken} from "../src/StableToken.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Random fee deposits, buybacks and day changes; counts what each buyback burned.
contract VaultHandler is Test {
    BuybackVault public vault;
    Token public token;
    StableToken public usd;
    address public deployer;
    uint256 public ghostBurned;
    uint256 public ghostBought;

    constructor(BuybackVault v, Token t, StableToken u, address d) {
        vault = v;
        token = t;
        usd = u;
        deployer = d;
    }

    function depositFee(uint256 amount) external {
        vm.prank(deployer);
        usd.mint(address(vault), bound(amount, 1, 5_000e18));
    }

    function buyback(uint256 amount, uint256 executorSeed) external {
        uint256 available = usd.balanceOf(address(vault));
        if (available == 0) return;
        vm.prank(address(uint160(0xE000 + executorSeed % 4)));
        try vault.buyback(bound(amount, 1, available)) returns (uint256 bought, uint256, uint256 burned, uint256) {
            ghostBurned += burned;
            ghostBought += bought;
        } catch {}
    }

    function nextDay(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 2 days));
    }
}

contract BuybackVaultTest is Protocol {
    address internal exec = address(0xE0);
    VaultHandler internal handler;

    function setUp() public {
        deployProtocol();
        handler = new VaultHandler(vault, token, usd, deployer);
        targetContract(address(handler));
    }

    function _fee(uint256 amount) internal {
        vm.prank(deployer);
        usd.mint(address(vault), amount);
    }

    // ------------------------------------------------------------ unit

    /// Same values as core/ledger/memoryLedger.test.ts "swaps the fee and splits...".
    function test_SplitsOnePercentThenSeventyPercentBurn() public {
        _fee(1_000e18);
        vm.prank(exec);
        (uint256 bought, uint256 reward, uint256 burned, uint256 toTreasury) = vault.buyback(1_000e18);
        assertEq(bought, 99_600_698_103_990_321_649_315, "bought");
        assertEq(reward, 996_006_981_039_903_216_493, "executor 1%");
        assertEq(burned, 69_023_283_786_065_292_902_975, "70% of the rest burned");
        assertEq(toTreasury, 29_581_407_336_885_125_529_847, "remainder to treasury");
        assertEq(token.burned(), burned, "supply fell by the burn");
        assertEq(token.balanceOf(exec), reward, "executor paid");
        assertEq(token.balanceOf(treasury), toTreasury, "treasury paid");
        assertEq(vault.spentToday(), 1_000e18, "cap used");
    }

    function test_CapResetsOnANewDay() public {
        _fee(150_000e18);
        vm.startPrank(exec);
        vault.buyback(40_000e18);
        vault.buyback(40_000e18);
        vm.warp(block.timestamp + 1 days);
        vault.buyback(40_000e18);
        vm.stopPrank();
        assertEq(vault.spentToday(), 40_000e18, "new day");
    }

    function test_RevertWhen_DailyCapExceeded() public {
        _fee(200_000e18);
        vm.expectRevert(abi.encodeWithSelector(BuybackVault.DailyCapExceeded.selector, 0, 100_001e18, DAILY_CAP));
        vm.prank(exec);
        vault.buyback(100_001e18);
    }

    function test_RevertWhen_SlippageExceeded() public {
        _fee(60_000e18);
        vm.expectRevert(
            abi.encodeWithSelector(BuybackVault.SlippageExceeded.selector, 5_644_354_701_741_805_212_205_846, 5_700_000e18)
        );
        vm.prank(exec);
        vault.buyback(60_000e18);
    }

    /// Same moves as core/ledger/memoryLedger.test.ts "TWAP guard".
    function test_RevertWhen_SpotPumpedAboveTwap() public {
        address trader = address(0x77);
        fund(trader, 0, 100_000e18);
        _fee(2_000e18);
        vm.warp(block.timestamp + TWAP_WINDOW);
        vm.prank(exec);
        vault.buyback(1_000e18); // rolls the window: twap = the seed price
        assertEq(vault.twap(), (SEED_USD << 112) / SEED_GSN, "twap over a flat first window");
        vm.prank(trader);
        pool.swap(address(usd), 100_000e18, 0, trader); // +21% price
        uint256 spot = pool.spotPrice();
        uint256 avg = vault.twap();
        vm.expectRevert(abi.encodeWithSelector(BuybackVault.PriceAboveTwap.selector, spot, avg));
        vm.prank(exec);
        vault.buyback(1_000e18);
        // A window later the average has caught up with the new price.
        vm.warp(block.timestamp + TWAP_WINDOW);
        vm.prank(exec);
        vault.buyback(1_000e18);
        assertGe(vault.twap(), spot, "twap follows the price");
    }

    function test_RevertWhen_MoreThanTheFees() public {
        _fee(1e18);
        vm.expectRevert(abi.encodeWithSelector(BuybackVault.InsufficientFees.selector, 1e18, 2e18));
        vm.prank(exec);
        vault.buyback(2e18);
    }

    function test_RevertWhen_NonOwnerSetsParams() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, exec));
        vm.prank(exec);
        vault.setParams(BuybackVault.Params(0, 10_000, 500, 1, 0, 0));
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function testFuzz_SharesSumToBoughtWithAnyParams(uint256 amount, uint256 execBps, uint256 burnBps) public {
        amount = bound(amount, 1e12, 20_000e18);
        execBps = bound(execBps, 0, 10_000);
        burnBps = bound(burnBps, 0, 10_000);
        vm.prank(deployer);
        vault.setParams(BuybackVault.Params(execBps, burnBps, 10_000, type(uint256).max, TWAP_WINDOW, 1_000_000));
        _fee(amount);
        vm.prank(exec);
        (uint256 bought, uint256 reward, uint256 burned, uint256 toTreasury) = vault.buyback(amount);
        assertEq(reward + burned + toTreasury, bought, "parts sum");
        assertEq(reward, (bought * execBps) / 10_000, "executor rounds down");
        assertEq(burned, ((bought - reward) * burnBps) / 10_000, "burn rounds down");
        assertEq(token.totalSupply() + burned, token.MAX_SUPPLY(), "supply fell by exactly the burn");
    }

    function test_SharesSumToBoughtWithAnyParams_Fixed() public {
        testFuzz_SharesSumToBoughtWithAnyParams(777e18, 100, 7_000);
    }

    // ------------------------------------------------------------ invariants

    function invariant_SupplyFallsOnlyByBuybackBurns() public view {
        assertLe(token.totalSupply(), token.MAX_SUPPLY(), "never above 10B");
        assertEq(token.burned(), handler.ghostBurned(), "burned == sum of buyback burns");
        assertLe(vault.spentToday(), DAILY_CAP, "cap holds");
        assertEq(token.balanceOf(address(vault)), 0, "vault keeps no tokens");
    }
}
