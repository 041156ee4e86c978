// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {SwarmCoordinator} from "../src/SwarmCoordinator.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";

/// @notice The behaviours the public rl-swarm-contracts v0.6.0 suite checks (round/stage, peers,
/// bootnodes, winners, rewards, getters, access control), written as our own tests, plus the
/// stage-count extension and the documented quirks.
contract SwarmCoordinatorTest is Test {
    SwarmCoordinator internal swarm;
    address internal owner = address(0xD0);
    address internal bootnodeManager = address(0xB0);
    address internal stageManager = address(0x5A);
    address internal alice = address(0xA1);
    address internal bob = address(0xB2);
    address internal carol = address(0xC3);

    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event StageAdvanced(uint256 indexed roundNumber, uint256 newStage);
    event RoundAdvanced(uint256 indexed newRoundNumber);
    event PeerRegistered(address indexed eoa, string peerId);
    event BootnodesAdded(address indexed manager, uint256 count);
    event BootnodeRemoved(address indexed manager, uint256 index);
    event AllBootnodesCleared(address indexed manager);
    event WinnerSubmitted(address indexed account, string peerId, uint256 indexed roundNumber, string[] winners);
    event RewardSubmitted(address indexed account, uint256 indexed roundNumber, uint256 indexed stageNumber, int256 reward, string peerId);
    event CumulativeRewardsUpdated(address indexed account, string peerId, int256 totalRewards);

    function setUp() public {
        vm.startPrank(owner);
        swarm = new SwarmCoordinator();
        swarm.initialize(owner);
        swarm.grantRole(swarm.BOOTNODE_MANAGER_ROLE(), bootnodeManager);
        vm.stopPrank();
    }

    function _next() internal {
        vm.startPrank(owner);
        uint256 r = swarm.currentRound();
        while (swarm.currentRound() == r) swarm.updateStageAndRound();
        vm.stopPrank();
    }

    function _one(string memory a) internal pure returns (string[] memory xs) {
        xs = new string[](1);
        xs[0] = a;
    }

    function _two(string memory a, string memory b) internal pure returns (string[] memory xs) {
        xs = new string[](2);
        xs[0] = a;
        xs[1] = b;
    }

    function _register(address who, string memory peerId) internal {
        vm.prank(who);
        swarm.registerPeer(peerId);
    }

    // ------------------------------------------------------------ construction and roles

    function test_RoleConstantsAreKeccakOfTheirNames() public view {
        assertEq(swarm.OWNER_ROLE(), keccak256("OWNER_ROLE"), "owner role");
        assertEq(swarm.STAGE_MANAGER_ROLE(), keccak256("STAGE_MANAGER_ROLE"), "stage manager role");
        assertEq(swarm.BOOTNODE_MANAGER_ROLE(), keccak256("BOOTNODE_MANAGER_ROLE"), "bootnode manager role");
    }

    function test_InitializeGrantsTheOwnerAllThreeRoles() public {
        SwarmCoordinator s = new SwarmCoordinator();
        vm.expectEmit();
        emit RoleGranted(keccak256("OWNER_ROLE"), carol, address(this));
        vm.expectEmit();
        emit RoleGranted(keccak256("STAGE_MANAGER_ROLE"), carol, address(this));
        vm.expectEmit();
        emit RoleGranted(keccak256("BOOTNODE_MANAGER_ROLE"), carol, address(this));
        s.initialize(carol);
        assertTrue(s.hasRole(s.OWNER_ROLE(), carol), "owner");
        assertTrue(s.hasRole(s.STAGE_MANAGER_ROLE(), carol), "stage manager");
        assertTrue(s.hasRole(s.BOOTNODE_MANAGER_ROLE(), carol), "bootnode manager");
        assertEq(s.hasRole(s.OWNER_ROLE(), address(this)), false, "the deployer is not the owner");
        assertEq(s.stageCount(), 1, "one stage per round, as v0.6.0");
        assertEq(s.currentRound(), 0, "round 0");
        assertEq(s.currentStage(), 0, "stage 0");
    }

    function test_RevertWhen_InitializedTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        swarm.initialize(alice);
    }

    function test_OwnerGrantsAndRevokesEveryRole() public {
        bytes32[3] memory roles = [swarm.OWNER_ROLE(), swarm.STAGE_MANAGER_ROLE(), swarm.BOOTNODE_MANAGER_ROLE()];
        for (uint256 i = 0; i < 3; i++) {
            vm.expectEmit();
            emit RoleGranted(roles[i], alice, owner);
            vm.prank(owner);
            swarm.grantRole(roles[i], alice);
            assertTrue(swarm.hasRole(roles[i], alice), "granted");
            vm.expectEmit();
            emit RoleRevoked(roles[i], alice, owner);
            vm.prank(owner);
            swarm.revokeRole(roles[i], alice);
            assertEq(swarm.hasRole(roles[i], alice), false, "revoked");
        }
    }

    function test_NewOwnerCanGrant_RevokedOwnerCannot() public {
        bytes32 ownerRole = swarm.OWNER_ROLE();
        vm.prank(owner);
        swarm.grantRole(ownerRole, alice);
        vm.prank(alice);
        swarm.revokeRole(ownerRole, owner);
        vm.expectRevert(SwarmCoordinator.OnlyOwner.selector);
        vm.prank(owner);
        swarm.grantRole(ownerRole, bob);
    }

    function test_RevertWhen_NonOwnerGrantsOrRevokes() public {
        bytes32 role = swarm.STAGE_MANAGER_ROLE();
        vm.expectRevert(SwarmCoordinator.OnlyOwner.selector);
        vm.prank(alice);
        swarm.grantRole(role, alice);
        vm.expectRevert(SwarmCoordinator.OnlyOwner.selector);
        vm.prank(bootnodeManager);
        swarm.revokeRole(role, owner);
    }

    // ------------------------------------------------------------ round and stage

    function test_OneStagePerRound() public {
        vm.expectEmit();
        emit RoundAdvanced(1);
        vm.expectEmit();
        emit StageAdvanced(1, 0);
        vm.prank(owner);
        (uint256 round, uint256 stage) = swarm.updateStageAndRound();
        assertEq(round, 1, "round 1");
        assertEq(stage, 0, "stage stays 0");
    }

    function test_GrantedStageManagerAdvances_RevokedCannot() public {
        bytes32 role = swarm.STAGE_MANAGER_ROLE();
        vm.prank(owner);
        swarm.grantRole(role, stageManager);
        vm.prank(stageManager);
        swarm.updateStageAndRound();
        assertEq(swarm.currentRound(), 1, "advanced");
        vm.prank(owner);
        swarm.revokeRole(role, stageManager);
        vm.expectRevert(SwarmCoordinator.OnlyStageManager.selector);
        vm.prank(stageManager);
        swarm.updateStageAndRound();
    }

    function test_RevertWhen_NonStageManagerAdvances() public {
        vm.expectRevert(SwarmCoordinator.OnlyStageManager.selector);
        vm.prank(bootnodeManager);
        swarm.updateStageAndRound();
    }

    function test_ThreeStagesForV1_SetBeforeTheFirstRound() public {
        vm.prank(owner);
        swarm.setStageCount(3);
        assertEq(swarm.stageCount(), 3, "three stages");
        vm.startPrank(owner);
        (uint256 r1, uint256 s1) = swarm.updateStageAndRound();
        swarm.updateStageAndRound();
        (uint256 r3, uint256 s3) = swarm.updateStageAndRound();
        vm.stopPrank();
        assertEq(r1, 0, "round 0 after one advance");
        assertEq(s1, 1, "stage 1");
        assertEq(r3, 1, "round 1 after three");
        assertEq(s3, 0, "stage 0");
    }

    function test_RevertWhen_StageCountSetLateOrZeroOrByNonOwner() public {
        vm.expectRevert(SwarmCoordinator.OnlyOwner.selector);
        vm.prank(stageManager);
        swarm.setStageCount(3);
        vm.expectRevert(SwarmCoordinator.InvalidStageNumber.selector);
        vm.prank(owner);
        swarm.setStageCount(0);
        _next();
        vm.expectRevert(SwarmCoordinator.InvalidRoundNumber.selector);
        vm.prank(owner);
        swarm.setStageCount(3);
    }

    // ------------------------------------------------------------ peers

    function test_PeersRegister_ManyPerAccount_LookupsBothWays() public {
        vm.expectEmit();
        emit PeerRegistered(alice, "QmA");
        _register(alice, "QmA");
        _register(alice, "QmA2");
        _register(bob, "QmB");
        address[] memory eoas = new address[](3);
        eoas[0] = alice;
        eoas[1] = bob;
        eoas[2] = carol;
        string[][] memory ids = swarm.getPeerId(eoas);
        assertEq(ids.length, 3, "one list per account");
        assertEq(ids[0].length, 2, "alice owns two");
        assertEq(ids[0][0], "QmA", "first");
        assertEq(ids[0][1], "QmA2", "second");
        assertEq(ids[1][0], "QmB", "bob");
        assertEq(ids[2].length, 0, "carol owns none");
        string[] memory q = new string[](3);
        q[0] = "QmB";
        q[1] = "QmA2";
        q[2] = "unknown";
        address[] memory got = swarm.getEoa(q);
        assertEq(got[0], bob, "QmB -> bob");
        assertEq(got[1], alice, "QmA2 -> alice");
        assertEq(got[2], address(0), "unregistered -> 0");
    }

    function test_EmptyPeerIdRegistersOnce() public {
        _register(alice, "");
        assertEq(swarm.getEoa(_one(""))[0], alice, "empty id registered");
        vm.expectRevert(SwarmCoordinator.PeerIdAlreadyRegistered.selector);
        vm.prank(bob);
        swarm.registerPeer("");
    }

    function test_RevertWhen_PeerIdRegisteredTwice_EvenBySameAccount() public {
        _register(alice, "QmA");
        vm.expectRevert(SwarmCoordinator.PeerIdAlreadyRegistered.selector);
        vm.prank(alice);
        swarm.registerPeer("QmA");
    }

    // ------------------------------------------------------------ bootnodes

    function test_BootnodesAddRemoveSwapAndPopClear() public {
        string[] memory b = new string[](3);
        b[0] = "/ip4/1";
        b[1] = "/ip4/2";
        b[2] = "/ip4/3";
        vm.expectEmit();
        emit BootnodesAdded(bootnodeManager, 3);
        vm.prank(bootnodeManager);
        swarm.addBootnodes(b);
        assertEq(swarm.getBootnodesCount(), 3, "three");
        vm.expectEmit();
        emit BootnodeRemoved(bootnodeManager, 0);
        vm.prank(bootnodeManager);
        swarm.removeBootnode(0);
        string[] memory left = swarm.getBootnodes();
        assertEq(left.length, 2, "two left");
        assertEq(left[0], "/ip4/3", "the last moved into the hole");
        assertEq(left[1], "/ip4/2", "the middle stays");
        vm.prank(owner); // the owner is a bootnode manager too
        swarm.removeBootnode(1);
        assertEq(swarm.getBootnodes()[0], "/ip4/3", "removing the last pops it");
        vm.expectEmit();
        emit AllBootnodesCleared(bootnodeManager);
        vm.prank(bootnodeManager);
        swarm.clearBootnodes();
        assertEq(swarm.getBootnodesCount(), 0, "cleared");
    }

    function test_RevertWhen_BootnodeIndexInvalid() public {
        vm.expectRevert(SwarmCoordinator.InvalidBootnodeIndex.selector);
        vm.prank(bootnodeManager);
        swarm.removeBootnode(0);
    }

    function test_RevertWhen_NonManagerTouchesBootnodes() public {
        vm.expectRevert(SwarmCoordinator.OnlyBootnodeManager.selector);
        vm.prank(stageManager);
        swarm.addBootnodes(_one("x"));
        vm.expectRevert(SwarmCoordinator.OnlyBootnodeManager.selector);
        vm.prank(alice);
        swarm.removeBootnode(0); // the role is checked before the index
        vm.expectRevert(SwarmCoordinator.OnlyBootnodeManager.selector);
        vm.prank(alice);
        swarm.clearBootnodes();
    }

    // ------------------------------------------------------------ winners

    function test_WinnersCountVotesAndVoters_UnregisteredWinnersAllowed() public {
        _register(alice, "QmA");
        _register(bob, "QmB");
        string[] memory w = _two("QmB", "ghost");
        vm.expectEmit();
        emit WinnerSubmitted(alice, "QmA", 0, w);
        vm.prank(alice);
        swarm.submitWinners(0, w, "QmA");
        assertEq(swarm.getTotalWins("QmB"), 1, "QmB won once");
        assertEq(swarm.getTotalWins("ghost"), 1, "an unregistered winner counts");
        assertEq(swarm.getVoterVoteCount("QmA"), 1, "one vote");
        assertEq(swarm.uniqueVoters(), 1, "one voter");
        string[] memory v = swarm.getVoterVotes(0, "QmA");
        assertEq(v.length, 2, "stored vote");
        assertEq(v[1], "ghost", "in order");
        _next();
        vm.prank(alice);
        swarm.submitWinners(1, _one("QmB"), "QmA");
        vm.prank(bob);
        swarm.submitWinners(0, _one("QmB"), "QmB"); // a past round is fine
        assertEq(swarm.getTotalWins("QmB"), 3, "three wins");
        assertEq(swarm.getVoterVoteCount("QmA"), 2, "two votes");
        assertEq(swarm.uniqueVoters(), 2, "two voters");
    }

    function test_EmptyWinnersListDoesNotMarkAVote() public {
        _register(alice, "QmA");
        vm.startPrank(alice);
        swarm.submitWinners(0, new string[](0), "QmA");
        swarm.submitWinners(0, new string[](0), "QmA");
        swarm.submitWinners(0, _one("QmA"), "QmA");
        vm.expectRevert(SwarmCoordinator.WinnerAlreadyVoted.selector);
        swarm.submitWinners(0, _one("QmA"), "QmA");
        vm.stopPrank();
        assertEq(swarm.getVoterVoteCount("QmA"), 3, "every accepted call counts");
        assertEq(swarm.uniqueVoters(), 1, "one voter");
        assertEq(swarm.getTotalWins("QmA"), 1, "one win");
    }

    function test_RevertWhen_WinnersForFutureRound() public {
        _register(alice, "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidRoundNumber.selector);
        vm.prank(alice);
        swarm.submitWinners(1, _one("QmA"), "QmA");
    }

    function test_RevertWhen_VoterNotTheSenders() public {
        _register(alice, "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidVoterPeerId.selector);
        vm.prank(bob);
        swarm.submitWinners(0, _one("QmA"), "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidVoterPeerId.selector);
        vm.prank(bob);
        swarm.submitWinners(0, _one("QmA"), "unregistered");
    }

    function test_RevertWhen_DuplicateWinner() public {
        _register(alice, "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidVote.selector);
        vm.prank(alice);
        swarm.submitWinners(0, _two("x", "x"), "QmA");
    }

    function test_WinnerChecksInOrder() public {
        _register(alice, "QmA");
        vm.prank(alice);
        swarm.submitWinners(0, _one("x"), "QmA");
        // future round before everything
        vm.expectRevert(SwarmCoordinator.InvalidRoundNumber.selector);
        vm.prank(bob);
        swarm.submitWinners(5, _two("y", "y"), "QmA");
        // already voted before the voter's owner and duplicates
        vm.expectRevert(SwarmCoordinator.WinnerAlreadyVoted.selector);
        vm.prank(bob);
        swarm.submitWinners(0, _two("y", "y"), "QmA");
        // voter's owner before duplicates
        _next();
        vm.expectRevert(SwarmCoordinator.InvalidVoterPeerId.selector);
        vm.prank(bob);
        swarm.submitWinners(1, _two("y", "y"), "QmA");
    }

    // ------------------------------------------------------------ rewards

    function test_RewardsAccumulatePerPeerAndPerAccount() public {
        _register(alice, "QmA");
        _register(alice, "QmA2");
        _register(bob, "QmB");
        vm.expectEmit();
        emit RewardSubmitted(alice, 0, 0, -5, "QmA");
        vm.expectEmit();
        emit CumulativeRewardsUpdated(alice, "QmA", -5);
        vm.prank(alice);
        swarm.submitReward(0, 0, int256(-5), "QmA");
        vm.prank(alice);
        swarm.submitReward(0, 0, uint256(8), "QmA2"); // the uint256 overload
        vm.prank(bob);
        swarm.submitReward(0, 0, int256(4), "QmB");
        _next();
        vm.prank(alice);
        swarm.submitReward(1, 0, int256(12), "QmA");
        address[] memory who = new address[](3);
        who[0] = alice;
        who[1] = bob;
        who[2] = carol;
        int256[] memory r0 = swarm.getRoundStageReward(0, 0, who);
        assertEq(r0[0], int256(3), "alice's two peers sum per account");
        assertEq(r0[1], int256(4), "bob");
        assertEq(r0[2], int256(0), "carol");
        assertEq(swarm.getRoundStageReward(1, 0, who)[0], int256(12), "round 1");
        int256[] memory totals = swarm.getTotalRewards(_two("QmA", "QmA2"));
        assertEq(totals[0], int256(7), "QmA running total");
        assertEq(totals[1], int256(8), "QmA2");
        assertTrue(swarm.hasSubmittedRoundStageReward(0, 0, "QmA"), "submitted");
        assertEq(swarm.hasSubmittedRoundStageReward(1, 0, "QmB"), false, "not submitted");
        assertEq(swarm.getTotalRewards(new string[](0)).length, 0, "empty query");
        assertEq(swarm.getRoundStageReward(0, 0, new address[](0)).length, 0, "empty query");
    }

    function test_StageRules_CurrentRoundUpToCurrentStage_PastRoundUpToStageCount() public {
        _register(alice, "QmA");
        vm.prank(owner);
        swarm.setStageCount(3);
        vm.prank(owner);
        swarm.updateStageAndRound(); // round 0, stage 1
        vm.startPrank(alice);
        swarm.submitReward(0, 1, int256(1), "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidStageNumber.selector);
        swarm.submitReward(0, 2, int256(1), "QmA");
        vm.stopPrank();
        _next(); // round 1, stage 0
        vm.startPrank(alice);
        swarm.submitReward(0, 3, int256(1), "QmA"); // the quirk: stage == stageCount is accepted
        vm.expectRevert(SwarmCoordinator.InvalidStageNumber.selector);
        swarm.submitReward(0, 4, int256(1), "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidStageNumber.selector);
        swarm.submitReward(1, 1, int256(1), "QmA");
        vm.stopPrank();
        assertEq(swarm.getTotalRewards(_one("QmA"))[0], int256(2), "two accepted");
    }

    function test_RevertWhen_RewardTwiceForRoundAndStage() public {
        _register(alice, "QmA");
        vm.startPrank(alice);
        swarm.submitReward(0, 0, int256(1), "QmA");
        vm.expectRevert(SwarmCoordinator.RewardAlreadySubmitted.selector);
        swarm.submitReward(0, 0, uint256(1), "QmA");
        vm.stopPrank();
    }

    function test_RewardChecksInOrder() public {
        _register(alice, "QmA");
        vm.prank(alice);
        swarm.submitReward(0, 0, int256(1), "QmA");
        vm.startPrank(bob);
        vm.expectRevert(SwarmCoordinator.InvalidRoundNumber.selector);
        swarm.submitReward(1, 9, int256(1), "QmA");
        vm.expectRevert(SwarmCoordinator.InvalidStageNumber.selector);
        swarm.submitReward(0, 1, int256(1), "nobody");
        // already submitted is checked before the peer's owner
        vm.expectRevert(SwarmCoordinator.RewardAlreadySubmitted.selector);
        swarm.submitReward(0, 0, int256(1), "QmA");
        vm.stopPrank();
        _next();
        vm.expectRevert(SwarmCoordinator.InvalidVoterPeerId.selector);
        vm.prank(bob);
        swarm.submitReward(1, 0, int256(1), "QmA");
    }

    // ------------------------------------------------------------ fuzz (+ fixed twins)

    function testFuzz_RoundAndStageFollowAdvances(uint8 stages, uint8 advances) public {
        uint256 n = bound(stages, 1, 5);
        vm.startPrank(owner);
        swarm.setStageCount(n);
        for (uint256 i = 0; i < advances; i++) swarm.updateStageAndRound();
        vm.stopPrank();
        assertEq(swarm.currentRound(), uint256(advances) / n, "round = advances / stageCount");
        assertEq(swarm.currentStage(), uint256(advances) % n, "stage = advances % stageCount");
    }

    function test_RoundAndStageFollowAdvances_Fixed() public {
        testFuzz_RoundAndStageFollowAdvances(3, 7);
        assertEq(swarm.currentRound(), 2, "7 / 3");
        assertEq(swarm.currentStage(), 1, "7 % 3");
    }

    function testFuzz_TotalRewardIsTheSumOverRounds(int64 a, int64 b, int64 c) public {
        _register(alice, "QmA");
        int64[3] memory xs = [a, b, c];
        for (uint256 i = 0; i < 3; i++) {
            vm.prank(alice);
            swarm.submitReward(i, 0, int256(xs[i]), "QmA");
            _next();
        }
        assertEq(swarm.getTotalRewards(_one("QmA"))[0], int256(a) + int256(b) + int256(c), "sum");
    }

    function test_TotalRewardIsTheSumOverRounds_Fixed() public {
        testFuzz_TotalRewardIsTheSumOverRounds(-7, 100, 3);
        assertEq(swarm.getTotalRewards(_one("QmA"))[0], int256(96), "-7 + 100 + 3");
    }
}
