// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Protocol} from "./utils/Protocol.sol";
import {Test} from "./utils/Test.sol";
import {StableToken} from "../src/StableToken.sol";
import {JobMarket} from "../src/JobMarket.sol";
import {PredictionMarket} from "../src/PredictionMarket.sol";
import {Deploy} from "../script/Deploy.s.sol";

/// @notice A fixture: the protocol, a PredictionMarket as the deploy script wires it, funded
/// traders, and a helper that gets a judge job Paid (verified) through the JobMarket.
abstract contract PredictionFixture is Protocol {
    PredictionMarket internal pm;
    address internal creator = address(0xC0);
    address internal alice = address(0xA1);
    address internal bob = address(0xB0);
    address internal solver = address(0x50);
    address internal verifier = address(0x51);
    bytes32 internal constant SPEC = keccak256("judge: will it rain");
    bytes32 internal constant ROOT = keccak256("judge output");
    uint256 internal constant FEE_BPS = 200;
    uint256 internal constant SHARE_BPS = 50;

    function setUpMarkets() internal {
        deployProtocol();
        pm = new PredictionMarket(usd, market, address(vault), treasury, FEE_BPS, SHARE_BPS, address(this));
        pm.grantRole(pm.RESOLVER_ROLE(), operator);
        address[3] memory who = [creator, alice, bob];
        for (uint256 i = 0; i < 3; i++) {
            fund(who[i], 0, 1_000_000e18);
            vm.prank(who[i]);
            usd.approve(address(pm), type(uint256).max);
        }
    }

    function newMarket(uint256 outcomes, uint256 liquidity) internal returns (uint256 id) {
        vm.prank(creator);
        id = pm.createMarket(SPEC, outcomes, block.timestamp + 1 days, liquidity);
    }

    /// @dev A judge job posted for `spec`, committed with `root`, unchallenged, paid after the window.
    function paidJudgeJob(bytes32 spec, bytes32 root) internal returns (uint256 jobId) {
        fund(solver, 2_000e18, 0);
        fund(verifier, 2_000e18, 0);
        stakeAs(solver, MIN_SOLVER_STAKE);
        stakeAs(verifier, MIN_VERIFIER_STAKE);
        fund(address(this), 0, 100e18);
        jobId = market.postJob(100e18, spec, 4, 20);
        address[] memory vs = new address[](1);
        vs[0] = verifier;
        vm.prank(operator);
        market.assign(jobId, solver, vs);
        vm.prank(solver);
        market.commit(jobId, root);
        vm.warp(block.timestamp + CHALLENGE_WINDOW + 1);
        market.finalize(jobId);
    }

    function collateralCovers(uint256 id, address[] memory traders) internal view {
        PredictionMarket.Market memory m = pm.getMarket(id);
        for (uint256 o = 0; o < m.outcomes; o++) {
            uint256 held = pm.poolBalance(id, o);
            for (uint256 t = 0; t < traders.length; t++) held += pm.sharesOf(id, traders[t], o);
            assertEq(m.collateral, held, "collateral == pool + traders' shares of every outcome");
        }
    }
}

contract PredictionMarketTest is PredictionFixture {
    function setUp() public {
        setUpMarkets();
    }

    function traders() internal view returns (address[] memory t) {
        t = new address[](3);
        t[0] = creator;
        t[1] = alice;
        t[2] = bob;
    }

    function test_DeployScriptWiresThePredictionMarket() public {
        Deploy script = new Deploy();
        Deploy.Deployment memory d = script.deploy(Deploy.Roles(address(script), operator, referee, treasury));
        assertEq(address(d.predictions.jobs()), address(d.market), "reads the job market");
        assertEq(d.predictions.vault(), address(d.vault), "fees to the vault");
        assertEq(d.predictions.feeBps(), 200, "2% trading fee");
        assertEq(d.predictions.protocolShareBps(), 50, "0.5% of it to the vault");
        assertTrue(d.predictions.hasRole(d.predictions.RESOLVER_ROLE(), operator), "operator resolves");
    }

    function test_BuyMovesThePriceAndSplitsTheFee() public {
        uint256 id = newMarket(2, 1_000e18);
        uint256 vault0 = usd.balanceOf(address(vault));
        uint256 treasury0 = usd.balanceOf(treasury);
        vm.prank(alice);
        uint256 shares = pm.buy(id, 0, 100e18, 0);
        // x = 98; pool(1) = 1098, pool(0) = ceil(1000 * 1000 / 1098) = 910.746812386156648452 -> shares = 1098 - 910.74...
        assertEq(pm.poolBalance(id, 1), 1_098e18, "the other outcome's pool grows by x");
        assertEq(pm.poolBalance(id, 0), 910_746812386156648452, "product kept, rounded up for the pool");
        assertEq(shares, 1_098e18 - 910_746812386156648452, "shares out");
        assertEq(pm.feesCharged(), 2e18, "2% fee");
        assertEq(usd.balanceOf(address(vault)) - vault0, 1e16, "0.5% of the fee to the vault");
        assertEq(usd.balanceOf(treasury) - treasury0, 2e18 - 1e16, "the rest to the platform");
        collateralCovers(id, traders());
    }

    function test_SellReturnsUsdForShares() public {
        uint256 id = newMarket(3, 1_000e18);
        vm.prank(alice);
        uint256 bought = pm.buy(id, 2, 300e18, 0);
        uint256 before = usd.balanceOf(alice);
        vm.prank(alice);
        uint256 sold = pm.sell(id, 2, 100e18, bought);
        assertLe(sold, bought, "sold no more than held");
        assertEq(usd.balanceOf(alice) - before, 98e18, "returned minus the 2% fee");
        assertEq(pm.sharesOf(id, alice, 2), bought - sold, "shares left");
        collateralCovers(id, traders());
    }

    function test_ResolveFromAPaidJudgeJobAndRedeem() public {
        uint256 id = newMarket(2, 1_000e18);
        vm.prank(alice);
        uint256 aShares = pm.buy(id, 1, 200e18, 0);
        vm.prank(bob);
        pm.buy(id, 0, 50e18, 0);
        vm.warp(block.timestamp + 1 days);
        uint256 jobId = paidJudgeJob(SPEC, ROOT);
        vm.prank(operator);
        pm.resolve(id, jobId, ROOT, 1);
        uint256 before = usd.balanceOf(alice);
        vm.prank(alice);
        assertEq(pm.redeem(id), aShares, "winning shares 1:1");
        assertEq(usd.balanceOf(alice) - before, aShares, "paid");
        vm.prank(bob);
        assertEq(pm.redeem(id), 0, "losing shares pay nothing");
        vm.prank(creator);
        pm.redeem(id);
        assertEq(pm.getMarket(id).collateral, pm.sharesOf(id, bob, 1), "all winning claims paid");
        assertEq(usd.balanceOf(address(pm)), pm.getMarket(id).collateral, "the contract holds exactly the collateral");
    }

    function test_RevertWhen_NoOutcomes() public {
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(PredictionMarket.InvalidMarket.selector, 1, block.timestamp + 10, 1e18));
        pm.createMarket(SPEC, 1, block.timestamp + 10, 1e18);
    }

    function test_RevertWhen_ResolutionInThePast() public {
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(PredictionMarket.InvalidMarket.selector, 2, block.timestamp, 1e18));
        pm.createMarket(SPEC, 2, block.timestamp, 1e18);
    }

    function test_RevertWhen_TradingAfterResolutionTime() public {
        uint256 id = newMarket(2, 1_000e18);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PredictionMarket.WrongTime.selector, id, block.timestamp, block.timestamp));
        pm.buy(id, 0, 1e18, 0);
    }

    function test_RevertWhen_JudgeJobNotPaid() public {
        uint256 id = newMarket(2, 1_000e18);
        vm.warp(block.timestamp + 1 days);
        fund(address(this), 0, 100e18);
        uint256 jobId = market.postJob(100e18, SPEC, 4, 20);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(PredictionMarket.JudgeNotVerified.selector, id, jobId));
        pm.resolve(id, jobId, ROOT, 0);
    }

    function test_RevertWhen_JudgeRootOrSpecDiffers() public {
        uint256 id = newMarket(2, 1_000e18);
        vm.warp(block.timestamp + 1 days);
        uint256 jobId = paidJudgeJob(SPEC, ROOT);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(PredictionMarket.JudgeNotVerified.selector, id, jobId));
        pm.resolve(id, jobId, keccak256("another output"), 0);
        uint256 other = paidJudgeJob(keccak256("another question"), ROOT);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(PredictionMarket.JudgeNotVerified.selector, id, other));
        pm.resolve(id, other, ROOT, 0);
    }

    function test_RevertWhen_NotResolver() public {
        uint256 id = newMarket(2, 1_000e18);
        vm.warp(block.timestamp + 1 days);
        vm.prank(alice);
        vm.expectRevert();
        pm.resolve(id, 1, ROOT, 0);
    }

    function test_RevertWhen_SellingSharesNotHeld() public {
        uint256 id = newMarket(2, 1_000e18);
        vm.prank(alice);
        vm.expectRevert();
        pm.sell(id, 0, 10e18, type(uint256).max);
    }

    /// @dev Buy then sell for several outcomes and sizes: every outcome stays fully backed.
    function testFuzz_TradesKeepEveryOutcomeBacked(uint256 outcomes, uint256 a, uint256 b, uint256 sellPart) public {
        outcomes = bound(outcomes, 2, 8);
        uint256 id = newMarket(outcomes, 10_000e18);
        a = bound(a, 1, 50_000e18);
        b = bound(b, 1, 50_000e18);
        vm.prank(alice);
        uint256 sa = pm.buy(id, a % outcomes, a, 0);
        vm.prank(bob);
        pm.buy(id, (b + 1) % outcomes, b, 0);
        sellPart = bound(sellPart, 1, 1_000e18);
        vm.prank(alice);
        try pm.sell(id, a % outcomes, sellPart, sa) {} catch {}
        collateralCovers(id, traders());
        assertEq(usd.balanceOf(address(pm)), pm.getMarket(id).collateral, "contract balance == collateral");
        assertEq(pm.feesCharged(), pm.feesToVault() + pm.feesToPlatform(), "fees conserved");
    }

    /// @dev Fixed-input twin of the fuzz test.
    function test_TradesKeepEveryOutcomeBacked_fixed() public {
        testFuzz_TradesKeepEveryOutcomeBacked(3, 777e18, 12_345e18, 100e18);
    }
}

/// @notice Random trading on one market through try/catch; ghosts count USD into the vault.
contract PredictionHandler is Test {
    PredictionMarket public pm;
    StableToken public usd;
    address public vault;
    uint256 public id;
    uint256 public outcomes;
    address[] public actors;
    uint256 public ghostVault;

    constructor(PredictionMarket pm_, StableToken usd_, address vault_, uint256 id_, uint256 outcomes_, address[] memory actors_) {
        pm = pm_;
        usd = usd_;
        vault = vault_;
        id = id_;
        outcomes = outcomes_;
        actors = actors_;
    }

    function buy(uint256 who, uint256 outcome, uint256 amount) external {
        address a = actors[who % actors.length];
        uint256 v0 = usd.balanceOf(vault);
        vm.prank(a);
        try pm.buy(id, outcome % outcomes, bound(amount, 1, 20_000e18), 0) {} catch {}
        ghostVault += usd.balanceOf(vault) - v0;
    }

    function sell(uint256 who, uint256 outcome, uint256 amount) external {
        address a = actors[who % actors.length];
        uint256 v0 = usd.balanceOf(vault);
        vm.prank(a);
        try pm.sell(id, outcome % outcomes, bound(amount, 1, 5_000e18), type(uint256).max) {} catch {}
        ghostVault += usd.balanceOf(vault) - v0;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }
}

contract PredictionMarketInvariants is PredictionFixture {
    PredictionHandler internal handler;
    uint256 internal id;
    address[] internal actors;

    function setUp() public {
        setUpMarkets();
        id = newMarket(3, 5_000e18);
        actors.push(creator);
        actors.push(alice);
        actors.push(bob);
        handler = new PredictionHandler(pm, usd, address(vault), id, 3, actors);
        targetContract(address(handler));
    }

    function invariant_CollateralCoversEveryOutcome() public view {
        collateralCovers(id, actors);
        assertEq(usd.balanceOf(address(pm)), pm.getMarket(id).collateral, "the contract holds the collateral");
    }

    function invariant_FeesConserved() public view {
        assertEq(pm.feesCharged(), pm.feesToVault() + pm.feesToPlatform(), "fees charged == to vault + to platform");
        assertEq(pm.feesToVault(), handler.ghostVault(), "the vault received exactly its share");
    }
}
