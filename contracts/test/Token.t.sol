// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {Token} from "../src/Token.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @notice Random transfers and burns among a few holders; tracks what was burned.
contract TokenHandler is Test {
    Token public token;
    address[] public holders;
    uint256 public burnedTotal;

    constructor(Token token_, address[] memory holders_) {
        token = token_;
        holders = holders_;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = holders[fromSeed % holders.length];
        address to = holders[toSeed % holders.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(to, amount);
    }

    function burn(uint256 fromSeed, uint256 amount) external {
        address from = holders[fromSeed % holders.length];
        amount = bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.burn(amount);
        burnedTotal += amount;
    }

    function holderCount() external view returns (uint256) {
        return holders.length;
    }
}

contract TokenTest is Test {
    Token internal token;
    TokenHandler internal handler;
    address internal holder = address(0xD0);
    address internal alice = address(0xA1);

    function setUp() public {
        token = new Token(holder);
        address[] memory hs = new address[](4);
        hs[0] = holder;
        hs[1] = alice;
        hs[2] = address(0xB2);
        hs[3] = address(0xC3);
        handler = new TokenHandler(token, hs);
        targetContract(address(handler));
    }

    // ------------------------------------------------------------ unit

    function test_MintsTenBillionOnceToHolder() public view {
        assertEq(token.totalSupply(), 10_000_000_000e18, "supply");
        assertEq(token.balanceOf(holder), 10_000_000_000e18, "holder balance");
        assertEq(token.MAX_SUPPLY(), 10_000_000_000e18, "cap");
        assertEq(token.decimals(), 18, "decimals");
    }

    function test_BurnLowersSupplyAndCountsBurned() public {
        vm.prank(holder);
        token.burn(3e18);
        assertEq(token.totalSupply(), 10_000_000_000e18 - 3e18, "supply");
        assertEq(token.burned(), 3e18, "burned");
    }

    function test_HasNoMintFunction() public {
        // A call to mint(address,uint256) hits no function: the contract has no fallback.
        (bool ok,) = address(token).call(abi.encodeWithSignature("mint(address,uint256)", alice, 1));
        assertTrue(!ok, "mint must not exist");
        assertEq(token.totalSupply(), 10_000_000_000e18, "supply unchanged");
    }

    function test_RevertWhen_BurningMoreThanBalance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1));
        vm.prank(alice);
        token.burn(1);
    }

    function test_RevertWhen_TransferringMoreThanBalance() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 5));
        vm.prank(alice);
        token.transfer(holder, 5);
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function testFuzz_TransferThenBurnKeepsSupplyAccount(uint256 sent, uint256 burnt) public {
        sent = bound(sent, 0, token.balanceOf(holder));
        burnt = bound(burnt, 0, sent);
        vm.prank(holder);
        token.transfer(alice, sent);
        vm.prank(alice);
        token.burn(burnt);
        assertEq(token.balanceOf(alice), sent - burnt, "alice");
        assertEq(token.totalSupply() + burnt, token.MAX_SUPPLY(), "supply + burned == 10B");
        assertEq(token.balanceOf(holder) + token.balanceOf(alice), token.totalSupply(), "balances sum");
    }

    function test_TransferThenBurnKeepsSupplyAccount_Fixed() public {
        testFuzz_TransferThenBurnKeepsSupplyAccount(1_234e18, 234e18);
    }

    // ------------------------------------------------------------ invariants

    function invariant_BalancesSumToSupply() public view {
        uint256 sum;
        for (uint256 i = 0; i < handler.holderCount(); i++) sum += token.balanceOf(handler.holders(i));
        assertEq(sum, token.totalSupply(), "sum of balances == supply");
    }

    function invariant_SupplyNeverAboveCapAndFallsOnlyByBurns() public view {
        assertLe(token.totalSupply(), token.MAX_SUPPLY(), "supply <= 10B");
        assertEq(token.totalSupply() + handler.burnedTotal(), token.MAX_SUPPLY(), "supply == 10B - burned");
    }
}
