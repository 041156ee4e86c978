// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {JobMarket} from "./JobMarket.sol";

/// @title PredictionMarket
/// @notice Delphi-style markets settled by a verified AI judge (REFERENCE §9). A market has a
/// judge spec, 2..8 outcomes and a resolution time. Trading runs on a fixed-product market maker
/// over complete sets (Gnosis FPMM): one USD of collateral mints one share of every outcome; a
/// buy of x (after the fee) mints x sets into the pool and takes out shares of the chosen
/// outcome so that the product of the pool's balances does not fall (rounded for the pool); a
/// sell returns x by burning x sets. Chosen over LMSR because it needs only integer products and
/// divisions (no fixed-point exp/log on chain), is mirrored bit-exactly by the memory ledger in
/// bigint, and the creator's funding bounds its loss. Every outstanding share of an outcome is
/// backed: collateral == pool balance + traders' shares, for every outcome. A trading fee
/// (feeBps of each trade) is split: protocolShareBps of it to the BuybackVault (the protocol
/// fee), the rest to the platform. At resolution time the resolver posts the outcome read from
/// the judge's inference job, which the JobMarket must have Paid (unchallenged or upheld, i.e.
/// verified) with the market's judge spec and the result root given; winning shares redeem 1:1
/// and the creator redeems the pool's winning shares.
contract PredictionMarket is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Outcomes outside 2..8, a resolution time not in the future, or no liquidity.
    error InvalidMarket(uint256 outcomes, uint256 resolveAt, uint256 liquidity);
    /// @notice The market is not in the status this call needs.
    error WrongMarketStatus(uint256 marketId, MarketStatus status);
    /// @notice Trading after the resolution time, or resolving before it.
    error WrongTime(uint256 marketId, uint256 resolveAt, uint256 now_);
    /// @notice An outcome index out of range.
    error InvalidOutcome(uint256 marketId, uint256 outcome);
    /// @notice A zero trade, or one the pool cannot fill.
    error InvalidAmount(uint256 amount);
    /// @notice The trade's shares are worse than the caller's limit.
    error Slippage(uint256 shares, uint256 limit);
    /// @notice The trader holds fewer shares than the sell takes.
    error InsufficientShares(uint256 held, uint256 needed);
    /// @notice The judge job is not Paid, or is not this market's judge, or its root differs.
    error JudgeNotVerified(uint256 marketId, uint256 jobId);
    /// @notice A fee or share parameter out of range.
    error BadConfig();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event MarketCreated(uint256 indexed marketId, address indexed creator, bytes32 judgeSpec, uint256 outcomes, uint256 resolveAt, uint256 liquidity);
    event Bought(uint256 indexed marketId, address indexed trader, uint256 outcome, uint256 amount, uint256 shares, uint256 fee);
    event Sold(uint256 indexed marketId, address indexed trader, uint256 outcome, uint256 returned, uint256 shares, uint256 fee);
    event Resolved(uint256 indexed marketId, uint256 jobId, uint256 winner);
    event Redeemed(uint256 indexed marketId, address indexed account, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    enum MarketStatus { None, Open, Resolved }

    struct Market {
        address creator;
        MarketStatus status;
        uint8 outcomes;
        uint8 winner;
        uint64 resolveAt;
        bytes32 judgeSpec;
        uint256 jobId;
        uint256 collateral;
    }

    uint256 public constant MAX_OUTCOMES = 8;
    bytes32 public constant RESOLVER_ROLE = keccak256("RESOLVER_ROLE");

    IERC20 public immutable usd;
    JobMarket public immutable jobs;
    address public immutable vault;
    address public immutable platform;
    uint256 public immutable feeBps;
    uint256 public immutable protocolShareBps;

    mapping(uint256 => Market) internal _markets;
    mapping(uint256 => mapping(uint256 => uint256)) public poolBalance;
    mapping(uint256 => mapping(address => mapping(uint256 => uint256))) public sharesOf;
    uint256 public marketCount;
    /// @notice feesCharged == feesToVault + feesToPlatform, always.
    uint256 public feesCharged;
    uint256 public feesToVault;
    uint256 public feesToPlatform;

    constructor(IERC20 usd_, JobMarket jobs_, address vault_, address platform_, uint256 feeBps_, uint256 protocolShareBps_, address admin) {
        if (feeBps_ >= 10_000 || protocolShareBps_ > 10_000) revert BadConfig();
        usd = usd_;
        jobs = jobs_;
        vault = vault_;
        platform = platform_;
        feeBps = feeBps_;
        protocolShareBps = protocolShareBps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                 MARKETS
    //////////////////////////////////////////////////////////////*/

    function createMarket(bytes32 judgeSpec, uint256 outcomes, uint256 resolveAt, uint256 liquidity) external nonReentrant returns (uint256 marketId) {
        if (outcomes < 2 || outcomes > MAX_OUTCOMES || resolveAt <= block.timestamp || resolveAt > type(uint64).max || liquidity == 0) {
            revert InvalidMarket(outcomes, resolveAt, liquidity);
        }
        marketId = ++marketCount;
        _markets[marketId] = Market(msg.sender, MarketStatus.Open, uint8(outcomes), 0, uint64(resolveAt), judgeSpec, 0, liquidity);
        for (uint256 o = 0; o < outcomes; o++) poolBalance[marketId][o] = liquidity;
        usd.safeTransferFrom(msg.sender, address(this), liquidity);
        emit MarketCreated(marketId, msg.sender, judgeSpec, outcomes, resolveAt, liquidity);
    }

    /// @notice Spends `amount` USD (fee included) on shares of `outcome`; returns the shares.
    function buy(uint256 marketId, uint256 outcome, uint256 amount, uint256 minShares) external nonReentrant returns (uint256 shares) {
        Market storage m = _open(marketId, outcome);
        if (amount == 0) revert InvalidAmount(amount);
        uint256 fee = (amount * feeBps) / 10_000;
        uint256 x = amount - fee;
        if (x == 0) revert InvalidAmount(amount);
        uint256 b = poolBalance[marketId][outcome];
        uint256 nb = b;
        for (uint256 j = 0; j < m.outcomes; j++) {
            if (j == outcome) continue;
            uint256 bj = poolBalance[marketId][j];
            nb = _ceilDiv(nb * bj, bj + x);
            poolBalance[marketId][j] = bj + x;
        }
        shares = b + x - nb;
        if (shares < minShares) revert Slippage(shares, minShares);
        poolBalance[marketId][outcome] = nb;
        sharesOf[marketId][msg.sender][outcome] += shares;
        m.collateral += x;
        usd.safeTransferFrom(msg.sender, address(this), amount);
        _fee(fee);
        emit Bought(marketId, msg.sender, outcome, amount, shares, fee);
    }

    /// @notice Sells shares of `outcome` for `returned` USD out of the pool (the fee is taken from it); returns the shares sold.
    function sell(uint256 marketId, uint256 outcome, uint256 returned, uint256 maxShares) external nonReentrant returns (uint256 shares) {
        Market storage m = _open(marketId, outcome);
        if (returned == 0) revert InvalidAmount(returned);
        uint256 b = poolBalance[marketId][outcome];
        uint256 nb = b;
        for (uint256 j = 0; j < m.outcomes; j++) {
            if (j == outcome) continue;
            uint256 bj = poolBalance[marketId][j];
            if (bj <= returned) revert InvalidAmount(returned);
            nb = _ceilDiv(nb * bj, bj - returned);
            poolBalance[marketId][j] = bj - returned;
        }
        shares = nb + returned - b;
        if (shares > maxShares) revert Slippage(shares, maxShares);
        uint256 held = sharesOf[marketId][msg.sender][outcome];
        if (held < shares) revert InsufficientShares(held, shares);
        poolBalance[marketId][outcome] = nb;
        sharesOf[marketId][msg.sender][outcome] = held - shares;
        m.collateral -= returned;
        uint256 fee = (returned * feeBps) / 10_000;
        usd.safeTransfer(msg.sender, returned - fee);
        _fee(fee);
        emit Sold(marketId, msg.sender, outcome, returned, shares, fee);
    }

    /// @notice Resolver only, at or after the resolution time: `winner` as read from the judge's
    /// inference job `jobId`, which must be Paid (verified), for this market's judge spec, with result root `root`.
    function resolve(uint256 marketId, uint256 jobId, bytes32 root, uint256 winner) external onlyRole(RESOLVER_ROLE) {
        Market storage m = _markets[marketId];
        if (m.status != MarketStatus.Open) revert WrongMarketStatus(marketId, m.status);
        if (block.timestamp < m.resolveAt) revert WrongTime(marketId, m.resolveAt, block.timestamp);
        if (winner >= m.outcomes) revert InvalidOutcome(marketId, winner);
        JobMarket.Job memory j = jobs.getJob(jobId);
        if (j.status != JobMarket.Status.Paid || j.specHash != m.judgeSpec || j.resultRoot != root) revert JudgeNotVerified(marketId, jobId);
        m.status = MarketStatus.Resolved;
        m.winner = uint8(winner);
        m.jobId = jobId;
        emit Resolved(marketId, jobId, winner);
    }

    /// @notice Pays the caller's winning shares 1:1 (and, for the creator, the pool's winning shares).
    function redeem(uint256 marketId) external nonReentrant returns (uint256 amount) {
        Market storage m = _markets[marketId];
        if (m.status != MarketStatus.Resolved) revert WrongMarketStatus(marketId, m.status);
        amount = sharesOf[marketId][msg.sender][m.winner];
        sharesOf[marketId][msg.sender][m.winner] = 0;
        if (msg.sender == m.creator) {
            amount += poolBalance[marketId][m.winner];
            poolBalance[marketId][m.winner] = 0;
        }
        m.collateral -= amount;
        if (amount > 0) usd.safeTransfer(msg.sender, amount);
        emit Redeemed(marketId, msg.sender, amount);
    }

    function getMarket(uint256 marketId) external view returns (Market memory) {
        return _markets[marketId];
    }

    /*//////////////////////////////////////////////////////////////
                                 INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _open(uint256 marketId, uint256 outcome) internal view returns (Market storage m) {
        m = _markets[marketId];
        if (m.status != MarketStatus.Open) revert WrongMarketStatus(marketId, m.status);
        if (block.timestamp >= m.resolveAt) revert WrongTime(marketId, m.resolveAt, block.timestamp);
        if (outcome >= m.outcomes) revert InvalidOutcome(marketId, outcome);
    }

    function _fee(uint256 fee) internal {
        if (fee == 0) return;
        uint256 toVault = (fee * protocolShareBps) / 10_000;
        feesCharged += fee;
        feesToVault += toVault;
        feesToPlatform += fee - toVault;
        if (toVault > 0) usd.safeTransfer(vault, toVault);
        if (fee > toVault) usd.safeTransfer(platform, fee - toVault);
    }

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
