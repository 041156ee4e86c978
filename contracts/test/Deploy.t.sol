// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {Deploy} from "../script/Deploy.s.sol";

/// @notice The deploy script wires what the ledger expects (core/ledger/deployment.ts).
contract DeployTest is Test {
    function test_ScriptDeploysAndWiresTheProtocol() public {
        // Without a broadcast the script contract itself sends the calls, so it is the deployer.
        Deploy script = new Deploy();
        address deployer = address(script);
        Deploy.Deployment memory d = script.deploy(Deploy.Roles(deployer, deployer, deployer, deployer));
        assertEq(d.token.totalSupply(), 10_000_000_000e18, "fixed supply");
        assertEq(d.token.balanceOf(deployer), 10_000_000_000e18 - 100_000_000e18, "deployer holds the rest");
        assertEq(d.pool.usdReserve(), 1_000_000e18, "pool seeded (usd)");
        assertEq(d.pool.tokenReserve(), 100_000_000e18, "pool seeded (token)");
        assertEq(d.market.disputeGame(), address(d.game), "market -> game");
        assertTrue(d.staking.hasRole(d.staking.SLASHER_ROLE(), address(d.game)), "game slashes");
        assertTrue(!d.staking.hasRole(d.staking.SLASHER_ROLE(), address(d.market)), "market does not");
        assertTrue(d.market.hasRole(d.market.ASSIGNER_ROLE(), deployer), "operator assigns");
        assertTrue(d.game.hasRole(d.game.REFEREE_ROLE(), deployer), "referee rules");
        assertTrue(d.swarm.hasRole(d.swarm.STAGE_MANAGER_ROLE(), deployer), "stage manager");
    }
}
