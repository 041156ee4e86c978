// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ProtocolDefaults
/// @notice The default parameters, the same as core/ledger/deployment.ts defaultLedgerConfig
/// (REFERENCE §1, §3, §9). Used by the deploy script and the test fixture.
library ProtocolDefaults {
    uint256 internal constant UNSTAKE_DELAY = 7 days;
    uint256 internal constant CHALLENGE_WINDOW = 1 hours;
    uint256 internal constant PROTOCOL_FEE_BPS = 50;
    uint256 internal constant VERIFIER_FEE_BPS = 1000;
    uint256 internal constant MIN_SOLVER_STAKE = 1000e18;
    uint256 internal constant MIN_VERIFIER_STAKE = 1000e18;
    uint256 internal constant BOND = 100e18;
    uint256 internal constant SLASH = 500e18;
    uint256 internal constant CLOCK = 1 hours;
    uint256 internal constant POOL_FEE_BPS = 30;
    uint256 internal constant SEED_USD = 1_000_000e18;
    uint256 internal constant SEED_GSN = 100_000_000e18;
    uint256 internal constant EXECUTOR_BPS = 100;
    uint256 internal constant BURN_BPS = 7000;
    uint256 internal constant MAX_SLIPPAGE_BPS = 500;
    uint256 internal constant DAILY_CAP = 100_000e18;
    uint256 internal constant TWAP_WINDOW = 30 minutes;
    uint256 internal constant MAX_TWAP_DEVIATION_BPS = 1000;
    uint256 internal constant STAGE_COUNT = 3;
    /// @dev PredictionMarket: trading fee (2%) and the protocol's share of it sent to the vault (0.5%, REFERENCE §9).
    uint256 internal constant MARKET_FEE_BPS = 200;
    uint256 internal constant MARKET_PROTOCOL_SHARE_BPS = 50;
}
