// core/ledger: the Ledger port, the in-memory ledger (embedded default), deployment and call table.
export * from "./ledger.ts";
export { LedgerRevert } from "./ledgerRevert.ts";
export { MemoryLedger, type MemoryLedgerOptions } from "./memoryLedger.ts";
export {
  defaultLedgerConfig, deploymentSteps, approvalSteps, MAX_SUPPLY, MAX_UINT256,
  type LedgerConfig, type ContractName, type DeployArg, type DeployStep,
} from "./deployment.ts";
export { toContractCall, type ContractCall } from "./callTable.ts";
export { amountOut } from "./poolBook.ts";
export { applyCall } from "./applyCall.ts";
export { nextTrafficStep, trafficSetup, TRAFFIC_NODES, type TrafficStep } from "./randomTraffic.ts";
export { typicalGas, callFee } from "./gasTable.ts";
export { nextPredictionTrafficStep } from "./predictionTraffic.ts";
