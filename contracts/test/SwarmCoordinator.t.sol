// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {SwarmCoordinator} from "../src/SwarmCoordinator.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract SwarmCoordinatorTest is Test {
    SwarmCoordinator internal swarm;
    address internal admin = address(0xD0);
    address internal manager = address(0x0B);
    address internal alice = address(0xA1);
    address internal bob = address(0xB2);

    function setUp() public {
        swarm = new SwarmCoordinator(3, admin, manager);
        vm.startPrank(alice);
        swarm.registerPeer("p1");
        swarm.registerPeer("p1b");
        vm.stopPrank();
        vm.prank(bob);
        swarm.registerPeer("p2");
    }

    function _advance(uint256 times) internal {
        for (uint256 i = 0; i < times; i++) {
            vm.prank(manager);
            swarm.updateStageAndRound();
        }
    }

    // ------------------------------------------------------------ unit

    function test_OneAccountOwnsSeveralPeers() public view {
        assertEq(swarm.peerOwner("p1"), alice, "p1");
        assertEq(swarm.peerOwner("p1b"), alice, "p1b");
        assertEq(swarm.peersOf(alice).length, 2, "two peers");
    }

    function test_StagesRollIntoRounds() public {
        _advance(2);
        assertEq(swarm.currentStage(), 2, "stage 2");
        assertEq(swarm.currentRound(), 0, "round 0");
        _advance(1);
        assertEq(swarm.currentStage(), 0, "stage 0");
        assertEq(swarm.currentRound(), 1, "round 1");
    }

    function test_WinnersAndRewardsAccumulate() public {
        _advance(3);
        vm.prank(bob);
        string[] memory w = new string[](2);
        w[0] = "p1";
        w[1] = "p1b";
        swarm.submitWinners(0, w, "p2");
        vm.startPrank(alice);
        swarm.submitReward(0, 2, -5, "p1");
        swarm.submitReward(1, 0, 12, "p1");
        vm.stopPrank();
        assertEq(swarm.getTotalWins("p1"), 1, "wins");
        string[] memory ids = new string[](1);
        ids[0] = "p1";
        assertEq(swarm.getTotalRewards(ids)[0], int256(7), "running total");
    }

    function test_RevertWhen_PeerRegisteredTwice() public {
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.PeerIdAlreadyRegistered.selector, "p1"));
        vm.prank(bob);
        swarm.registerPeer("p1");
    }

    function test_RevertWhen_NonManagerAdvances() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, swarm.STAGE_MANAGER_ROLE())
        );
        vm.prank(alice);
        swarm.updateStageAndRound();
    }

    function test_RevertWhen_VotingTwice() public {
        string[] memory w = new string[](1);
        w[0] = "p1";
        vm.startPrank(bob);
        swarm.submitWinners(0, w, "p2");
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.WinnerAlreadyVoted.selector, "p2", 0));
        swarm.submitWinners(0, w, "p2");
        vm.stopPrank();
    }

    function test_RevertWhen_DuplicateWinner() public {
        string[] memory w = new string[](2);
        w[0] = "p2";
        w[1] = "p2";
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.InvalidWinner.selector, "p2"));
        vm.prank(alice);
        swarm.submitWinners(0, w, "p1");
    }

    function test_RevertWhen_VoterNotOwned() public {
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.NotPeerOwner.selector, "p2", alice));
        vm.prank(alice);
        swarm.submitWinners(0, new string[](0), "p2");
    }

    function test_RevertWhen_FutureRound() public {
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.InvalidRoundNumber.selector, 1, 0));
        vm.prank(alice);
        swarm.submitReward(1, 0, 1, "p1");
    }

    function test_RevertWhen_RewardSubmittedTwice() public {
        vm.startPrank(alice);
        swarm.submitReward(0, 0, 1, "p1");
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.RewardAlreadySubmitted.selector, "p1", 0, 0));
        swarm.submitReward(0, 0, 1, "p1");
        vm.stopPrank();
    }

    function test_RevertWhen_StageOutOfBounds() public {
        vm.expectRevert(abi.encodeWithSelector(SwarmCoordinator.StageOutOfBounds.selector, 3, 3));
        vm.prank(alice);
        swarm.submitReward(0, 3, 1, "p1");
    }

    // ------------------------------------------------------------ fuzz (+ fixed twin)

    function testFuzz_RoundAndStageFollowAdvances(uint8 advances) public {
        _advance(advances);
        assertEq(swarm.currentRound(), uint256(advances) / 3, "round = advances / stageCount");
        assertEq(swarm.currentStage(), uint256(advances) % 3, "stage = advances % stageCount");
    }

    function test_RoundAndStageFollowAdvances_Fixed() public {
        testFuzz_RoundAndStageFollowAdvances(7);
    }
}
