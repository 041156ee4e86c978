// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title SwarmCoordinator
/// @notice RL Swarm's on-chain coordinator, the interface of REFERENCE §7: peers register
/// (one account may own several peers; a peer id registers once), the stage manager advances
/// stage and round, voters submit round winners, peers submit per-stage rewards (running totals).
contract SwarmCoordinator is AccessControl {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The peer id is registered already.
    error PeerIdAlreadyRegistered(string peerId);
    /// @notice An empty peer id.
    error InvalidPeerId();
    /// @notice The round is in the future.
    error InvalidRoundNumber(uint256 round, uint256 currentRound);
    /// @notice The stage is not below the stage count.
    error StageOutOfBounds(uint256 stage, uint256 stageCount);
    /// @notice The caller does not own the peer it acts for.
    error NotPeerOwner(string peerId, address caller);
    /// @notice This voter already voted in this round.
    error WinnerAlreadyVoted(string voterPeerId, uint256 round);
    /// @notice A winner listed twice, or a winner that is not registered.
    error InvalidWinner(string peerId);
    /// @notice A reward for this round, stage and peer was submitted already.
    error RewardAlreadySubmitted(string peerId, uint256 round, uint256 stage);
    /// @notice A stage count of zero.
    error InvalidStageCount();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event RoundAdvanced(uint256 indexed newRound);
    event StageAdvanced(uint256 indexed round, uint256 newStage);
    event PeerRegistered(address indexed owner, string peerId);
    event WinnerSubmitted(address indexed voter, uint256 indexed round, string voterPeerId, string[] winners);
    event RewardSubmitted(address indexed owner, uint256 indexed round, uint256 indexed stage, string peerId, int256 reward);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant STAGE_MANAGER_ROLE = keccak256("STAGE_MANAGER_ROLE");

    uint256 public immutable stageCount;
    uint256 public currentRound;
    uint256 public currentStage;

    mapping(string => address) public peerOwner;
    mapping(address => string[]) internal _peersOf;
    mapping(uint256 => mapping(string => bool)) public hasVoted;
    mapping(uint256 => mapping(uint256 => mapping(string => bool))) public rewardSubmitted;
    mapping(string => uint256) internal _totalWins;
    mapping(string => int256) internal _totalRewards;

    constructor(uint256 stageCount_, address admin, address stageManager) {
        if (stageCount_ == 0) revert InvalidStageCount();
        stageCount = stageCount_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(STAGE_MANAGER_ROLE, stageManager);
    }

    /*//////////////////////////////////////////////////////////////
                                 PEERS
    //////////////////////////////////////////////////////////////*/

    function registerPeer(string calldata peerId) external {
        if (bytes(peerId).length == 0) revert InvalidPeerId();
        if (peerOwner[peerId] != address(0)) revert PeerIdAlreadyRegistered(peerId);
        peerOwner[peerId] = msg.sender;
        _peersOf[msg.sender].push(peerId);
        emit PeerRegistered(msg.sender, peerId);
    }

    /*//////////////////////////////////////////////////////////////
                                 ROUNDS
    //////////////////////////////////////////////////////////////*/

    function updateStageAndRound() external onlyRole(STAGE_MANAGER_ROLE) returns (uint256, uint256) {
        if (currentStage + 1 >= stageCount) {
            currentRound += 1;
            currentStage = 0;
            emit RoundAdvanced(currentRound);
        } else {
            currentStage += 1;
        }
        emit StageAdvanced(currentRound, currentStage);
        return (currentRound, currentStage);
    }

    /// @notice One vote per voter peer per round; winners distinct and registered.
    function submitWinners(uint256 round, string[] calldata winners, string calldata voterPeerId) external {
        if (round > currentRound) revert InvalidRoundNumber(round, currentRound);
        if (peerOwner[voterPeerId] != msg.sender) revert NotPeerOwner(voterPeerId, msg.sender);
        if (hasVoted[round][voterPeerId]) revert WinnerAlreadyVoted(voterPeerId, round);
        for (uint256 i = 0; i < winners.length; i++) {
            if (peerOwner[winners[i]] == address(0)) revert InvalidWinner(winners[i]);
            for (uint256 k = 0; k < i; k++) {
                if (keccak256(bytes(winners[k])) == keccak256(bytes(winners[i]))) revert InvalidWinner(winners[i]);
            }
        }
        hasVoted[round][voterPeerId] = true;
        for (uint256 i = 0; i < winners.length; i++) _totalWins[winners[i]] += 1;
        emit WinnerSubmitted(msg.sender, round, voterPeerId, winners);
    }

    /// @notice Once per round, stage and peer; adds to the peer's running total.
    function submitReward(uint256 round, uint256 stage, int256 reward, string calldata peerId) external {
        if (round > currentRound) revert InvalidRoundNumber(round, currentRound);
        if (stage >= stageCount) revert StageOutOfBounds(stage, stageCount);
        if (peerOwner[peerId] != msg.sender) revert NotPeerOwner(peerId, msg.sender);
        if (rewardSubmitted[round][stage][peerId]) revert RewardAlreadySubmitted(peerId, round, stage);
        rewardSubmitted[round][stage][peerId] = true;
        _totalRewards[peerId] += reward;
        emit RewardSubmitted(msg.sender, round, stage, peerId, reward);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function getTotalWins(string calldata peerId) external view returns (uint256) {
        return _totalWins[peerId];
    }

    function getTotalRewards(string[] calldata peerIds) external view returns (int256[] memory totals) {
        totals = new int256[](peerIds.length);
        for (uint256 i = 0; i < peerIds.length; i++) totals[i] = _totalRewards[peerIds[i]];
    }

    function peersOf(address owner) external view returns (string[] memory) {
        return _peersOf[owner];
    }
}
