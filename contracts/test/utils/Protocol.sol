// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";
import {Token} from "../../src/Token.sol";
import {StableToken} from "../../src/StableToken.sol";
import {Staking} from "../../src/Staking.sol";
import {ConstantProductPool} from "../../src/ConstantProductPool.sol";
import {BuybackVault} from "../../src/BuybackVault.sol";
import {JobMarket} from "../../src/JobMarket.sol";
import {DisputeGame} from "../../src/DisputeGame.sol";
import {SwarmCoordinator} from "../../src/SwarmCoordinator.sol";

/// @notice Deploys and wires the whole protocol with the default parameters, in the same order
/// and with the same values as core/ledger/deployment.ts (the memory ledger's defaults).
abstract contract Protocol is Test {
    address internal deployer = address(0xD0);
    address internal operator = address(0x0B);
    address internal referee = address(0x4E);
    address internal treasury = address(0x7E);

    uint256 internal constant UNSTAKE_DELAY = 7 days;
    uint256 internal constant CHALLENGE_WINDOW = 1 hours;
    uint256 internal constant PROTOCOL_FEE_BPS = 50;
    uint256 internal constant VERIFIER_FEE_BPS = 1000;
    uint256 internal constant MIN_SOLVER_STAKE = 1000e18;
    uint256 internal constant MIN_VERIFIER_STAKE = 1000e18;
    uint256 internal constant BOND = 100e18;
    uint256 internal constant SLASH = 500e18;
    uint256 internal constant CLOCK = 1 hours;
    uint256 internal constant POOL_FEE_BPS = 30;
    uint256 internal constant SEED_USD = 1_000_000e18;
    uint256 internal constant SEED_GSN = 100_000_000e18;
    uint256 internal constant EXECUTOR_BPS = 100;
    uint256 internal constant BURN_BPS = 7000;
    uint256 internal constant MAX_SLIPPAGE_BPS = 500;
    uint256 internal constant DAILY_CAP = 100_000e18;
    uint256 internal constant TWAP_WINDOW = 30 minutes;
    uint256 internal constant MAX_TWAP_DEVIATION_BPS = 1000;
    uint256 internal constant STAGE_COUNT = 3;

    Token internal token;
    StableToken internal usd;
    Staking internal staking;
    ConstantProductPool internal pool;
    BuybackVault internal vault;
    JobMarket internal market;
    DisputeGame internal game;
    SwarmCoordinator internal swarm;

    function deployProtocol() internal {
        vm.warp(1_700_000_000);
        vm.startPrank(deployer);
        token = new Token(deployer);
        usd = new StableToken(deployer);
        staking = new Staking(token, UNSTAKE_DELAY, deployer);
        pool = new ConstantProductPool(usd, token, POOL_FEE_BPS, deployer);
        vault = new BuybackVault(
            usd, token, pool, treasury, BuybackVault.Params(EXECUTOR_BPS, BURN_BPS, MAX_SLIPPAGE_BPS, DAILY_CAP, TWAP_WINDOW, MAX_TWAP_DEVIATION_BPS), deployer
        );
        market = new JobMarket(
            usd,
            staking,
            address(vault),
            JobMarket.Params(CHALLENGE_WINDOW, PROTOCOL_FEE_BPS, VERIFIER_FEE_BPS, MIN_SOLVER_STAKE, MIN_VERIFIER_STAKE),
            deployer
        );
        game = new DisputeGame(token, staking, address(market), treasury, DisputeGame.Params(BOND, SLASH, CLOCK), deployer);
        swarm = new SwarmCoordinator(STAGE_COUNT, deployer, operator);
        market.setDisputeGame(address(game));
        staking.grantRole(staking.SLASHER_ROLE(), address(game));
        market.grantRole(market.ASSIGNER_ROLE(), operator);
        game.grantRole(game.REFEREE_ROLE(), referee);
        usd.mint(deployer, SEED_USD);
        token.approve(address(pool), SEED_GSN);
        usd.approve(address(pool), SEED_USD);
        pool.seed(SEED_USD, SEED_GSN);
        vm.stopPrank();
    }

    /// @dev Funds `who` with GSN and USD and approves every protocol contract, as the ledger's
    /// accounts do (deployment.ts: unlimited approvals).
    function fund(address who, uint256 gsn, uint256 usdAmount) internal {
        vm.startPrank(deployer);
        if (gsn > 0) token.transfer(who, gsn);
        if (usdAmount > 0) usd.mint(who, usdAmount);
        vm.stopPrank();
        vm.startPrank(who);
        token.approve(address(staking), type(uint256).max);
        token.approve(address(game), type(uint256).max);
        token.approve(address(pool), type(uint256).max);
        usd.approve(address(market), type(uint256).max);
        usd.approve(address(pool), type(uint256).max);
        vm.stopPrank();
    }

    function stakeAs(address who, uint256 amount) internal {
        vm.prank(who);
        staking.stake(amount);
    }
}
