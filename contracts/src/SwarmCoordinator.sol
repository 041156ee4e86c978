// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";

/// @title SwarmCoordinator
/// @notice RL Swarm's on-chain coordinator (REFERENCE §7), ABI-compatible with the public
/// rl-swarm-contracts v0.6.0 SwarmCoordinator: deployed as `new SwarmCoordinator()` then
/// `initialize(owner)` (the owner gets all three roles), usable behind a UUPS proxy; the same
/// functions, return types, argument-less custom errors (checked in the same order) and events.
/// One extension: `setStageCount`, owner-only and only before the clock first moves, so that
/// the v1 three-stage game runs on the same contract (v0.6.0 hard-codes one stage per round).
/// Documented quirks kept on purpose: a past round accepts stage numbers up to and including
/// stageCount; an empty winners list records no vote (the voter may vote again that round) but
/// still counts towards getVoterVoteCount and uniqueVoters; winners need not be registered.
contract SwarmCoordinator is Initializable, UUPSUpgradeable {
    /*//////////////////////////////////////////////////////////////
                                 ROLES
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant OWNER_ROLE = keccak256("OWNER_ROLE");
    bytes32 public constant BOOTNODE_MANAGER_ROLE = keccak256("BOOTNODE_MANAGER_ROLE");
    bytes32 public constant STAGE_MANAGER_ROLE = keccak256("STAGE_MANAGER_ROLE");

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event StageAdvanced(uint256 indexed roundNumber, uint256 newStage);
    event RoundAdvanced(uint256 indexed newRoundNumber);
    event PeerRegistered(address indexed eoa, string peerId);
    event BootnodesAdded(address indexed manager, uint256 count);
    event BootnodeRemoved(address indexed manager, uint256 index);
    event AllBootnodesCleared(address indexed manager);
    event WinnerSubmitted(address indexed account, string peerId, uint256 indexed roundNumber, string[] winners);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event RewardSubmitted(
        address indexed account, uint256 indexed roundNumber, uint256 indexed stageNumber, int256 reward, string peerId
    );
    event CumulativeRewardsUpdated(address indexed account, string peerId, int256 totalRewards);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev Declared as in v0.6.0 (which never raises it); kept so the error ABI is the same.
    error StageOutOfBounds();
    error InvalidBootnodeIndex();
    error InvalidRoundNumber();
    error WinnerAlreadyVoted();
    error PeerIdAlreadyRegistered();
    error InvalidVoterPeerId();
    error OnlyOwner();
    error OnlyBootnodeManager();
    error OnlyStageManager();
    error RewardAlreadySubmitted();
    error InvalidStageNumber();
    error InvalidVote();

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    uint256 private _currentRound;
    uint256 private _currentStage;
    uint256 private _stageCount;
    mapping(address => string[]) private _eoaToPeerId;
    mapping(string => address) private _peerIdToEoa;
    mapping(string => uint256) private _totalWins;
    mapping(uint256 => mapping(string => string[])) private _roundVotes;
    mapping(string => uint256) private _voterVoteCounts;
    uint256 private _uniqueVoters;
    string[] private _bootnodes;
    mapping(uint256 => mapping(uint256 => mapping(address => int256))) private _roundStageRewards;
    mapping(uint256 => mapping(uint256 => mapping(string => bool))) private _hasSubmittedRoundStageReward;
    mapping(string => int256) private _totalRewards;
    mapping(bytes32 => mapping(address => bool)) private _roleToAddress;

    modifier onlyOwner() {
        if (!_roleToAddress[OWNER_ROLE][msg.sender]) revert OnlyOwner();
        _;
    }

    modifier onlyStageManager() {
        if (!_roleToAddress[STAGE_MANAGER_ROLE][msg.sender]) revert OnlyStageManager();
        _;
    }

    modifier onlyBootnodeManager() {
        if (!_roleToAddress[BOOTNODE_MANAGER_ROLE][msg.sender]) revert OnlyBootnodeManager();
        _;
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTION
    //////////////////////////////////////////////////////////////*/

    /// @notice Grants `owner_` OWNER, STAGE_MANAGER and BOOTNODE_MANAGER; one stage per round.
    function initialize(address owner_) external initializer {
        _stageCount = 1;
        _grantRole(OWNER_ROLE, owner_);
        _grantRole(STAGE_MANAGER_ROLE, owner_);
        _grantRole(BOOTNODE_MANAGER_ROLE, owner_);
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}

    /// @notice Extension (not in v0.6.0): stages per round, e.g. 3 for the v1 game. Owner only,
    /// and only while the clock is at round 0 stage 0: InvalidRoundNumber after it has moved,
    /// InvalidStageNumber for a count of zero.
    function setStageCount(uint256 count) external onlyOwner {
        if (_currentRound != 0 || _currentStage != 0) revert InvalidRoundNumber();
        if (count == 0) revert InvalidStageNumber();
        _stageCount = count;
    }

    /*//////////////////////////////////////////////////////////////
                                  ACL
    //////////////////////////////////////////////////////////////*/

    function _grantRole(bytes32 role, address account) internal {
        _roleToAddress[role][account] = true;
        emit RoleGranted(role, account, msg.sender);
    }

    function grantRole(bytes32 role, address account) public onlyOwner {
        _grantRole(role, account);
    }

    function revokeRole(bytes32 role, address account) public onlyOwner {
        _roleToAddress[role][account] = false;
        emit RoleRevoked(role, account, msg.sender);
    }

    function hasRole(bytes32 role, address account) public view returns (bool) {
        return _roleToAddress[role][account];
    }

    /*//////////////////////////////////////////////////////////////
                                 ROUNDS
    //////////////////////////////////////////////////////////////*/

    function currentRound() public view returns (uint256) {
        return _currentRound;
    }

    function currentStage() public view returns (uint256) {
        return _currentStage;
    }

    /// @notice v0.6.0 declares this `pure` (a constant 1); here it is a `view` of the settable count.
    function stageCount() public view returns (uint256) {
        return _stageCount;
    }

    function updateStageAndRound() external onlyStageManager returns (uint256, uint256) {
        if (_currentStage + 1 >= _stageCount) {
            _currentRound++;
            _currentStage = 0;
            emit RoundAdvanced(_currentRound);
        } else {
            _currentStage = _currentStage + 1;
        }
        emit StageAdvanced(_currentRound, _currentStage);
        return (_currentRound, _currentStage);
    }

    /*//////////////////////////////////////////////////////////////
                                 PEERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Any string (the empty one included) registers once; one account may own many.
    function registerPeer(string calldata peerId) external {
        if (_peerIdToEoa[peerId] != address(0)) revert PeerIdAlreadyRegistered();
        _eoaToPeerId[msg.sender].push(peerId);
        _peerIdToEoa[peerId] = msg.sender;
        emit PeerRegistered(msg.sender, peerId);
    }

    function getPeerId(address[] calldata eoas) external view returns (string[][] memory peerIds) {
        peerIds = new string[][](eoas.length);
        for (uint256 i = 0; i < eoas.length; i++) {
            peerIds[i] = _eoaToPeerId[eoas[i]];
        }
    }

    function getEoa(string[] calldata peerIds) external view returns (address[] memory eoas) {
        eoas = new address[](peerIds.length);
        for (uint256 i = 0; i < peerIds.length; i++) {
            eoas[i] = _peerIdToEoa[peerIds[i]];
        }
    }

    /*//////////////////////////////////////////////////////////////
                                BOOTNODES
    //////////////////////////////////////////////////////////////*/

    function addBootnodes(string[] calldata newBootnodes) external onlyBootnodeManager {
        for (uint256 i = 0; i < newBootnodes.length; i++) {
            _bootnodes.push(newBootnodes[i]);
        }
        emit BootnodesAdded(msg.sender, newBootnodes.length);
    }

    /// @notice Swap-and-pop: the last bootnode takes the removed one's index.
    function removeBootnode(uint256 index) external onlyBootnodeManager {
        uint256 n = _bootnodes.length;
        if (index >= n) revert InvalidBootnodeIndex();
        if (index < n - 1) _bootnodes[index] = _bootnodes[n - 1];
        _bootnodes.pop();
        emit BootnodeRemoved(msg.sender, index);
    }

    function clearBootnodes() external onlyBootnodeManager {
        delete _bootnodes;
        emit AllBootnodesCleared(msg.sender);
    }

    function getBootnodes() external view returns (string[] memory) {
        return _bootnodes;
    }

    function getBootnodesCount() external view returns (uint256) {
        return _bootnodes.length;
    }

    /*//////////////////////////////////////////////////////////////
                                WINNERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Checks, in order: InvalidRoundNumber (future round), WinnerAlreadyVoted (a
    /// non-empty vote recorded for this round), InvalidVoterPeerId (voter not the sender's),
    /// InvalidVote (a winner listed twice). Winners need not be registered.
    function submitWinners(uint256 roundNumber, string[] memory winners, string calldata peerId) external {
        if (roundNumber > _currentRound) revert InvalidRoundNumber();
        if (_roundVotes[roundNumber][peerId].length > 0) revert WinnerAlreadyVoted();
        if (_peerIdToEoa[peerId] != msg.sender) revert InvalidVoterPeerId();
        for (uint256 i = 0; i < winners.length; i++) {
            for (uint256 j = i + 1; j < winners.length; j++) {
                if (keccak256(bytes(winners[i])) == keccak256(bytes(winners[j]))) revert InvalidVote();
            }
        }
        _roundVotes[roundNumber][peerId] = winners;
        if (_voterVoteCounts[peerId] == 0) _uniqueVoters++;
        _voterVoteCounts[peerId]++;
        for (uint256 i = 0; i < winners.length; i++) {
            _totalWins[winners[i]]++;
        }
        emit WinnerSubmitted(msg.sender, peerId, roundNumber, winners);
    }

    function getVoterVotes(uint256 roundNumber, string calldata peerId) external view returns (string[] memory) {
        return _roundVotes[roundNumber][peerId];
    }

    function getVoterVoteCount(string calldata peerId) external view returns (uint256) {
        return _voterVoteCounts[peerId];
    }

    function getTotalWins(string calldata peerId) external view returns (uint256) {
        return _totalWins[peerId];
    }

    function uniqueVoters() external view returns (uint256) {
        return _uniqueVoters;
    }

    /*//////////////////////////////////////////////////////////////
                                REWARDS
    //////////////////////////////////////////////////////////////*/

    /// @notice The v0.6.0 uint256 overload: the same as the int256 one with int256(reward).
    function submitReward(uint256 roundNumber, uint256 stageNumber, uint256 reward, string calldata peerId) external {
        submitReward(roundNumber, stageNumber, int256(reward), peerId);
    }

    /// @notice Checks, in order: InvalidRoundNumber (future round), InvalidStageNumber (in the
    /// current round a stage above the current one; in a past round a stage above stageCount),
    /// RewardAlreadySubmitted (this round, stage and peer), InvalidVoterPeerId (peer not the
    /// sender's). The reward adds to the peer's total and to the sender's round-stage reward.
    function submitReward(uint256 roundNumber, uint256 stageNumber, int256 reward, string calldata peerId) public {
        if (roundNumber > _currentRound) revert InvalidRoundNumber();
        if (roundNumber == _currentRound) {
            if (stageNumber > _currentStage) revert InvalidStageNumber();
        } else {
            if (stageNumber > _stageCount) revert InvalidStageNumber();
        }
        if (_hasSubmittedRoundStageReward[roundNumber][stageNumber][peerId]) revert RewardAlreadySubmitted();
        if (_peerIdToEoa[peerId] != msg.sender) revert InvalidVoterPeerId();
        _roundStageRewards[roundNumber][stageNumber][msg.sender] += reward;
        _hasSubmittedRoundStageReward[roundNumber][stageNumber][peerId] = true;
        _totalRewards[peerId] += reward;
        emit RewardSubmitted(msg.sender, roundNumber, stageNumber, reward, peerId);
        emit CumulativeRewardsUpdated(msg.sender, peerId, _totalRewards[peerId]);
    }

    function getRoundStageReward(uint256 roundNumber, uint256 stageNumber, address[] calldata accounts)
        external
        view
        returns (int256[] memory rewards)
    {
        rewards = new int256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) {
            rewards[i] = _roundStageRewards[roundNumber][stageNumber][accounts[i]];
        }
    }

    function hasSubmittedRoundStageReward(uint256 roundNumber, uint256 stageNumber, string calldata peerId)
        external
        view
        returns (bool)
    {
        return _hasSubmittedRoundStageReward[roundNumber][stageNumber][peerId];
    }

    function getTotalRewards(string[] calldata peerIds) external view returns (int256[] memory rewards) {
        rewards = new int256[](peerIds.length);
        for (uint256 i = 0; i < peerIds.length; i++) {
            rewards[i] = _totalRewards[peerIds[i]];
        }
    }
}
