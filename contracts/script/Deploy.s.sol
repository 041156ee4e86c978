// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Token} from "../src/Token.sol";
import {StableToken} from "../src/StableToken.sol";
import {Staking} from "../src/Staking.sol";
import {ConstantProductPool} from "../src/ConstantProductPool.sol";
import {BuybackVault} from "../src/BuybackVault.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {DisputeGame} from "../src/DisputeGame.sol";
import {SwarmCoordinator} from "../src/SwarmCoordinator.sol";
import {PredictionMarket} from "../src/PredictionMarket.sol";
import {ProtocolDefaults as D} from "./ProtocolDefaults.sol";

interface VmScript {
    function startBroadcast() external;
    function stopBroadcast() external;
    function envOr(string calldata name, address defaultValue) external view returns (address);
}

/// @title Deploy
/// @notice Deploys and wires the protocol with the default parameters, in the order of
/// core/ledger/deployment.ts, from the broadcasting account (the deployer):
///   forge script contracts/script/Deploy.s.sol --rpc-url URL --broadcast --private-key KEY
/// Roles go to GSIM_OPERATOR / GSIM_REFEREE / GSIM_TREASURY when set, else to the deployer.
contract Deploy {
    VmScript internal constant vm = VmScript(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    bool public IS_SCRIPT = true;

    struct Roles {
        address deployer;
        address operator;
        address referee;
        address treasury;
    }

    struct Deployment {
        Token token;
        StableToken usd;
        Staking staking;
        ConstantProductPool pool;
        BuybackVault vault;
        JobMarket market;
        DisputeGame game;
        SwarmCoordinator swarm;
        PredictionMarket predictions;
    }

    function run() external returns (Deployment memory d) {
        Roles memory r = Roles(
            msg.sender,
            vm.envOr("GSIM_OPERATOR", msg.sender),
            vm.envOr("GSIM_REFEREE", msg.sender),
            vm.envOr("GSIM_TREASURY", msg.sender)
        );
        vm.startBroadcast();
        d = deploy(r);
        vm.stopBroadcast();
    }

    /// @dev `r.deployer` must be the account sending these calls (it receives the 10B supply):
    /// the broadcaster in run(); this contract itself when a test calls deploy() directly.
    function deploy(Roles memory r) public returns (Deployment memory d) {
        d.token = new Token(r.deployer);
        d.usd = new StableToken(r.deployer);
        d.staking = new Staking(d.token, D.UNSTAKE_DELAY, r.deployer);
        d.pool = new ConstantProductPool(d.usd, d.token, D.POOL_FEE_BPS, r.deployer);
        d.vault = new BuybackVault(
            d.usd,
            d.token,
            d.pool,
            r.treasury,
            BuybackVault.Params(D.EXECUTOR_BPS, D.BURN_BPS, D.MAX_SLIPPAGE_BPS, D.DAILY_CAP, D.TWAP_WINDOW, D.MAX_TWAP_DEVIATION_BPS),
            r.deployer
        );
        d.market = new JobMarket(
            d.usd,
            d.staking,
            address(d.vault),
            JobMarket.Params(D.CHALLENGE_WINDOW, D.PROTOCOL_FEE_BPS, D.VERIFIER_FEE_BPS, D.MIN_SOLVER_STAKE, D.MIN_VERIFIER_STAKE),
            r.deployer
        );
        d.game = new DisputeGame(d.token, d.staking, address(d.market), r.treasury, DisputeGame.Params(D.BOND, D.SLASH, D.CLOCK), r.deployer);
        // As the public rl-swarm-contracts deploy it: new, then initialize(owner) (all three roles).
        d.swarm = new SwarmCoordinator();
        d.swarm.initialize(r.deployer);
        d.swarm.grantRole(d.swarm.STAGE_MANAGER_ROLE(), r.operator);
        d.swarm.setStageCount(D.STAGE_COUNT);
        d.market.setDisputeGame(address(d.game));
        d.staking.grantRole(d.staking.SLASHER_ROLE(), address(d.game));
        d.market.grantRole(d.market.ASSIGNER_ROLE(), r.operator);
        d.game.grantRole(d.game.REFEREE_ROLE(), r.referee);
        d.usd.mint(r.deployer, D.SEED_USD);
        d.token.approve(address(d.pool), D.SEED_GSN);
        d.usd.approve(address(d.pool), D.SEED_USD);
        d.pool.seed(D.SEED_USD, D.SEED_GSN);
        // Delphi-style markets (REFERENCE §9): the platform's share of trading fees goes to the treasury.
        d.predictions = new PredictionMarket(d.usd, d.market, address(d.vault), r.treasury, D.MARKET_FEE_BPS, D.MARKET_PROTOCOL_SHARE_BPS, r.deployer);
        d.predictions.grantRole(d.predictions.RESOLVER_ROLE(), r.operator);
    }
}
