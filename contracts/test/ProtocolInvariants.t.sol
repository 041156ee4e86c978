// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {Test} from "./utils/Test.sol";
import {Token} from "../src/Token.sol";
import {StableToken} from "../src/StableToken.sol";
import {Staking} from "../src/Staking.sol";
import {ConstantProductPool} from "../src/ConstantProductPool.sol";
import {BuybackVault} from "../src/BuybackVault.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {DisputeGame} from "../src/DisputeGame.sol";

/// @notice The whole protocol under random traffic (the Solidity twin of
/// core/ledger/conservation.test.ts): every call is tried with try/catch, so reverts are part of
/// the run; the ghost counts burns.
contract ProtocolHandler is Test {
    Token public token;
    StableToken public usd;
    Staking public staking;
    ConstantProductPool public pool;
    BuybackVault public vault;
    JobMarket public market;
    DisputeGame public game;
    address public operator;
    address public referee;
    address[] public nodes;
    uint256 public ghostBurned;

    struct Wiring {
        Token token;
        StableToken usd;
        Staking staking;
        ConstantProductPool pool;
        BuybackVault vault;
        JobMarket market;
        DisputeGame game;
        address operator;
        address referee;
    }

    constructor(Wiring memory w, address[] memory nodes_) {
        token = w.token;
        usd = w.usd;
        staking = w.staking;
        pool = w.pool;
        vault = w.vault;
        market = w.market;
        game = w.game;
        operator = w.operator;
        referee = w.referee;
        nodes = nodes_;
    }

    function _node(uint256 s) internal view returns (address) {
        return nodes[s % nodes.length];
    }

    function _job(uint256 s) internal view returns (uint256) {
        return market.jobCount() == 0 ? 0 : 1 + (s % market.jobCount());
    }

    function _game(uint256 s) internal view returns (uint256) {
        return game.gameCount() == 0 ? 0 : 1 + (s % game.gameCount());
    }

    function stake(uint256 who, uint256 amount) external {
        vm.prank(_node(who));
        try staking.stake(bound(amount, 1, 5_000e18)) {} catch {}
    }

    function unstake(uint256 who, uint256 amount, uint256 wait) external {
        address a = _node(who);
        vm.prank(a);
        try staking.requestUnstake(bound(amount, 1, 3_000e18)) {} catch {}
        vm.warp(block.timestamp + bound(wait, 0, 8 days));
        vm.prank(a);
        try staking.withdraw() {} catch {}
    }

    function burn(uint256 who, uint256 amount) external {
        amount = bound(amount, 1, 100e18);
        vm.prank(_node(who));
        try token.burn(amount) {
            ghostBurned += amount;
        } catch {}
    }

    function postAndAssign(uint256 who, uint256 fee, uint32 steps, uint32 graphNodes) external {
        address sub = _node(who);
        vm.prank(sub);
        try market.postJob(bound(fee, 1, 500e18), bytes32(fee), uint32(bound(steps, 1, 64)), uint32(bound(graphNodes, 1, 64))) returns (uint256 id) {
            address[] memory vs = new address[](1);
            vs[0] = _node(who % 1000 + 1);
            vm.prank(operator);
            try market.assign(id, _node(who % 1000 + 2), vs) {} catch {}
        } catch {}
    }

    function commit(uint256 jobSeed, uint8 root) external {
        uint256 id = _job(jobSeed);
        vm.prank(market.getJob(id).solver);
        try market.commit(id, bytes32(uint256(root % 3))) {} catch {}
    }

    function challenge(uint256 jobSeed, uint8 root) external {
        uint256 id = _job(jobSeed);
        address[] memory vs = market.verifiersOf(id);
        if (vs.length == 0) return;
        vm.prank(vs[0]);
        try market.challenge(id, bytes32(uint256(root % 3))) {} catch {}
    }

    function claim(uint256 gameSeed, uint8 h) external {
        uint256 id = _game(gameSeed);
        DisputeGame.Game memory g = game.getGame(id);
        vm.prank(g.challengerToMove ? g.challenger : g.defender);
        try game.claim(id, bytes32(uint256(h % 3))) {} catch {}
    }

    function timeoutOrRule(uint256 gameSeed, uint8 h, uint256 wait) external {
        uint256 id = _game(gameSeed);
        vm.warp(block.timestamp + bound(wait, 0, 2 hours));
        try game.timeout(id) {} catch {}
        vm.prank(referee);
        try game.rule(id, bytes32(uint256(h % 3))) {} catch {}
    }

    function finalize(uint256 jobSeed, uint256 wait) external {
        vm.warp(block.timestamp + bound(wait, 0, 2 hours));
        try market.finalize(_job(jobSeed)) {} catch {}
    }

    function buyback(uint256 who, uint256 amount) external {
        uint256 available = usd.balanceOf(address(vault));
        if (available == 0) return;
        vm.prank(_node(who));
        try vault.buyback(bound(amount, 1, available)) returns (uint256, uint256, uint256 burned, uint256) {
            ghostBurned += burned;
        } catch {}
    }

    function swap(uint256 who, bool usdIn, uint256 amount) external {
        vm.prank(_node(who));
        try pool.swap(usdIn ? address(usd) : address(token), bound(amount, 1, 1_000e18), 0, _node(who)) {} catch {}
    }

    function nodeCount() external view returns (uint256) {
        return nodes.length;
    }
}

contract ProtocolInvariantsTest is Protocol {
    ProtocolHandler internal handler;
    address[] internal holders;

    function setUp() public {
        deployProtocol();
        address[] memory ns = new address[](5);
        for (uint256 i = 0; i < ns.length; i++) {
            ns[i] = address(uint160(0x1000 + i));
            fund(ns[i], 20_000e18, 20_000e18);
            stakeAs(ns[i], 2_000e18);
        }
        handler = new ProtocolHandler(
            ProtocolHandler.Wiring(token, usd, staking, pool, vault, market, game, operator, referee), ns
        );
        targetContract(address(handler));
        holders = ns;
        holders.push(deployer);
        holders.push(treasury);
        holders.push(address(staking));
        holders.push(address(pool));
        holders.push(address(vault));
        holders.push(address(market));
        holders.push(address(game));
    }

    function _sum(bool gsn) internal view returns (uint256 sum) {
        for (uint256 i = 0; i < holders.length; i++) {
            sum += gsn ? token.balanceOf(holders[i]) : usd.balanceOf(holders[i]);
        }
    }

    function invariant_BalancesSumToSupply() public view {
        assertEq(_sum(true), token.totalSupply(), "GSN balances sum to supply");
        assertEq(_sum(false), usd.totalSupply(), "USD balances sum to supply");
    }

    function invariant_SupplyNeverAboveCapAndFallsOnlyByBurns() public view {
        assertLe(token.totalSupply(), token.MAX_SUPPLY(), "supply <= 10B");
        assertEq(token.burned(), handler.ghostBurned(), "burned == direct burns + buyback burns");
    }

    function invariant_EscrowStakesBondsReservesHeld() public view {
        assertEq(market.escrowed() + market.paidOut() + market.refunded(), market.posted(), "escrow");
        assertEq(usd.balanceOf(address(market)), market.escrowed(), "market holds the escrow");
        assertEq(token.balanceOf(address(staking)), staking.totalStaked(), "staking holds the stakes");
        assertEq(token.balanceOf(address(game)), game.bondsHeld(), "game holds the bonds");
        assertEq(token.balanceOf(address(pool)), pool.tokenReserve(), "pool token reserve");
        assertEq(usd.balanceOf(address(pool)), pool.usdReserve(), "pool usd reserve");
    }
}
