// The public rl-swarm-contracts v0.6.0 SwarmCoordinator interface, written out from its source
// (src/SwarmCoordinator.sol at tag v0.6.0): every function (with its return types), event and
// custom error must be in our artifact, so that tools written against the real contract work
// against ours. Ours may add items (setStageCount); it may not drop or change one.
import { describe, expect, test } from "bun:test";
import { keccak256, parseAbi, stringToHex, toEventSelector, toFunctionSelector, type Abi, type AbiFunction } from "viem";
import { formatAbiItem } from "viem/utils";

const ours = (require("./artifacts/SwarmCoordinator.json") as { abi: Abi }).abi;

const PUBLIC_V060 = parseAbi([
  "function OWNER_ROLE() view returns (bytes32)",
  "function STAGE_MANAGER_ROLE() view returns (bytes32)",
  "function BOOTNODE_MANAGER_ROLE() view returns (bytes32)",
  "function UPGRADE_INTERFACE_VERSION() view returns (string)",
  "function initialize(address owner_)",
  "function proxiableUUID() view returns (bytes32)",
  "function upgradeToAndCall(address newImplementation, bytes data) payable",
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function currentRound() view returns (uint256)",
  "function currentStage() view returns (uint256)",
  "function stageCount() view returns (uint256)", // `pure` there; the same call for any client
  "function updateStageAndRound() returns (uint256, uint256)",
  "function registerPeer(string peerId)",
  "function getPeerId(address[] eoas) view returns (string[][])",
  "function getEoa(string[] peerIds) view returns (address[])",
  "function addBootnodes(string[] newBootnodes)",
  "function removeBootnode(uint256 index)",
  "function clearBootnodes()",
  "function getBootnodes() view returns (string[])",
  "function getBootnodesCount() view returns (uint256)",
  "function submitWinners(uint256 roundNumber, string[] winners, string peerId)",
  "function getVoterVotes(uint256 roundNumber, string peerId) view returns (string[])",
  "function getVoterVoteCount(string peerId) view returns (uint256)",
  "function getTotalWins(string peerId) view returns (uint256)",
  "function uniqueVoters() view returns (uint256)",
  "function submitReward(uint256 roundNumber, uint256 stageNumber, uint256 reward, string peerId)",
  "function submitReward(uint256 roundNumber, uint256 stageNumber, int256 reward, string peerId)",
  "function getRoundStageReward(uint256 roundNumber, uint256 stageNumber, address[] accounts) view returns (int256[])",
  "function hasSubmittedRoundStageReward(uint256 roundNumber, uint256 stageNumber, string peerId) view returns (bool)",
  "function getTotalRewards(string[] peerIds) view returns (int256[])",
  "event StageAdvanced(uint256 indexed roundNumber, uint256 newStage)",
  "event RoundAdvanced(uint256 indexed newRoundNumber)",
  "event PeerRegistered(address indexed eoa, string peerId)",
  "event BootnodesAdded(address indexed manager, uint256 count)",
  "event BootnodeRemoved(address indexed manager, uint256 index)",
  "event AllBootnodesCleared(address indexed manager)",
  "event WinnerSubmitted(address indexed account, string peerId, uint256 indexed roundNumber, string[] winners)",
  "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
  "event RewardSubmitted(address indexed account, uint256 indexed roundNumber, uint256 indexed stageNumber, int256 reward, string peerId)",
  "event CumulativeRewardsUpdated(address indexed account, string peerId, int256 totalRewards)",
  "event Initialized(uint64 version)",
  "event Upgraded(address indexed implementation)",
  "error StageOutOfBounds()",
  "error InvalidBootnodeIndex()",
  "error InvalidRoundNumber()",
  "error WinnerAlreadyVoted()",
  "error PeerIdAlreadyRegistered()",
  "error InvalidVoterPeerId()",
  "error OnlyOwner()",
  "error OnlyBootnodeManager()",
  "error OnlyStageManager()",
  "error RewardAlreadySubmitted()",
  "error InvalidStageNumber()",
  "error InvalidVote()",
  "error InvalidInitialization()",
]);

/** A comparable key: selector + return types (functions), topic + indexed flags (events), selector (errors). */
function key(item: Abi[number]): string {
  if (item.type === "function") return `${toFunctionSelector(formatAbiItem(item))} -> (${item.outputs.map((o) => o.type).join(",")}) ${item.stateMutability === "payable" ? "payable" : ""}`;
  if (item.type === "event") return `${toEventSelector(formatAbiItem(item))} ${item.inputs.map((i) => (i.indexed ? "i" : "-")).join("")}`;
  if (item.type === "error") return `${toFunctionSelector(formatAbiItem(item))}`;
  return item.type;
}

describe("SwarmCoordinator ABI vs the public rl-swarm-contracts v0.6.0", () => {
  test("every public function, event and error is in ours, with the same return types and indexed fields", () => {
    const have = new Set(ours.map(key));
    const missing = PUBLIC_V060.filter((item) => !have.has(key(item))).map((item) => formatAbiItem(item));
    expect(missing).toEqual([]);
    expect(PUBLIC_V060.length).toBe(58);
  });

  test("the only function ours adds is setStageCount; errors take no arguments", () => {
    const pub = new Set(PUBLIC_V060.map(key));
    const extra = ours.filter((x) => x.type === "function" && !pub.has(key(x))).map((x) => (x as AbiFunction).name);
    expect(extra).toEqual(["setStageCount"]);
    const swarmErrors = PUBLIC_V060.filter((x) => x.type === "error").map((x) => formatAbiItem(x));
    expect(swarmErrors.every((e) => e.endsWith("()"))).toBe(true);
  });

  test("role ids are keccak256 of the role names (fixed values)", () => {
    expect(keccak256(stringToHex("OWNER_ROLE"))).toBe("0xb19546dff01e856fb3f010c267a7b1c60363cf8a4664e21cc89c26224620214e");
    expect(toFunctionSelector("submitReward(uint256,uint256,int256,string)")).toBe("0x5194e15f");
  });
});
