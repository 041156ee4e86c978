// core/ledger's public API, pinned (STYLE: a change to it shows up in review).
import { expect, test } from "bun:test";
import * as ledger from "./index.ts";
import { MemoryLedger } from "./memoryLedger.ts";

test("exports", () => {
  expect(Object.keys(ledger).sort()).toEqual([
    "GameOutcome", "GamePhase", "JobStatus", "LedgerRevert", "MAX_SUPPLY", "MAX_UINT256", "MemoryLedger",
    "TRAFFIC_NODES", "amountOut", "applyCall", "approvalSteps", "callFee", "contractAccounts",
    "defaultLedgerConfig", "deploymentSteps", "nextPredictionTrafficStep", "nextTrafficStep", "systemAccounts", "toContractCall",
    "trafficSetup", "typicalGas",
  ]);
});

test("the Ledger port's methods on the memory ledger", () => {
  const methods = Object.getOwnPropertyNames(MemoryLedger.prototype).filter((m) => m !== "constructor" && !m.startsWith("_")).sort();
  expect(methods).toEqual([
    "accounts", "addBootnodes", "apply", "assign", "balanceOf", "bondsHeld", "book", "burn", "burned", "buyShares",
    "buyback", "cancelJob", "challenge", "claim", "clearBootnodes", "commit", "createMarket", "currentRound",
    "currentStage", "escrow", "finalize", "game", "gameCount", "grantSwarmRole", "job", "jobCount", "mintUsd", "now",
    "onApplied", "peerOwner", "pendingUnstake", "poolReserves", "postJob", "predictionFees", "predictionMarket",
    "predictionMarketCount", "priceOracle", "quoteBuy", "redeem", "registerPeer", "removeBootnode", "requestUnstake",
    "resolveMarket", "revokeSwarmRole", "rule", "sellShares", "setStageCount", "setTime", "sharesOf", "slash", "stake",
    "stakeOf", "submitReward", "submitWinners", "swap", "swarmView", "timeout", "totalRewards", "totalStaked",
    "totalSupply", "totalWins", "transfer", "updateStageAndRound", "vaultDay", "withdraw",
  ]);
});
