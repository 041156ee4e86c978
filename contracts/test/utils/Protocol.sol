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

import {Deploy} from "../../script/Deploy.s.sol";
import {ProtocolDefaults as D} from "../../script/ProtocolDefaults.sol";

/// @notice Deploys and wires the whole protocol through the deploy script (the defaults of
/// script/ProtocolDefaults.sol = core/ledger/deployment.ts). The script contract is the
/// deployer: it holds the 10B supply and owns the contracts.
abstract contract Protocol is Test {
    address internal deployer;
    address internal operator = address(0x0B);
    address internal referee = address(0x4E);
    address internal treasury = address(0x7E);

    uint256 internal constant UNSTAKE_DELAY = D.UNSTAKE_DELAY;
    uint256 internal constant CHALLENGE_WINDOW = D.CHALLENGE_WINDOW;
    uint256 internal constant PROTOCOL_FEE_BPS = D.PROTOCOL_FEE_BPS;
    uint256 internal constant VERIFIER_FEE_BPS = D.VERIFIER_FEE_BPS;
    uint256 internal constant MIN_SOLVER_STAKE = D.MIN_SOLVER_STAKE;
    uint256 internal constant MIN_VERIFIER_STAKE = D.MIN_VERIFIER_STAKE;
    uint256 internal constant BOND = D.BOND;
    uint256 internal constant SLASH = D.SLASH;
    uint256 internal constant CLOCK = D.CLOCK;
    uint256 internal constant POOL_FEE_BPS = D.POOL_FEE_BPS;
    uint256 internal constant SEED_USD = D.SEED_USD;
    uint256 internal constant SEED_GSN = D.SEED_GSN;
    uint256 internal constant EXECUTOR_BPS = D.EXECUTOR_BPS;
    uint256 internal constant BURN_BPS = D.BURN_BPS;
    uint256 internal constant MAX_SLIPPAGE_BPS = D.MAX_SLIPPAGE_BPS;
    uint256 internal constant DAILY_CAP = D.DAILY_CAP;
    uint256 internal constant TWAP_WINDOW = D.TWAP_WINDOW;
    uint256 internal constant MAX_TWAP_DEVIATION_BPS = D.MAX_TWAP_DEVIATION_BPS;
    uint256 internal constant STAGE_COUNT = D.STAGE_COUNT;

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
        Deploy script = new Deploy();
        deployer = address(script);
        Deploy.Deployment memory d = script.deploy(Deploy.Roles(deployer, operator, referee, treasury));
        token = d.token;
        usd = d.usd;
        staking = d.staking;
        pool = d.pool;
        vault = d.vault;
        market = d.market;
        game = d.game;
        swarm = d.swarm;
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
