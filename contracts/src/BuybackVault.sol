// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ConstantProductPool} from "./ConstantProductPool.sol";

/// @title BuybackVault
/// @notice Receives the protocol fee in USD and, when an executor calls `buyback`, swaps it for
/// the Token on the pool (REFERENCE §9). Of the tokens bought: executorRewardBps to the executor
/// (rounded down), then burnBps of the rest burned (rounded down), the remainder to the treasury.
/// Guards: a daily USD cap; the spot price at most maxTwapDeviationBps above the pool's
/// time-weighted average over the last window of at least twapWindow seconds; and slippage
/// against the spot price at most maxSlippageBps.
contract BuybackVault is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice An amount of zero was given where a positive amount is required.
    error ZeroAmount();
    /// @notice The vault holds less USD than asked to swap.
    error InsufficientFees(uint256 available, uint256 requested);
    /// @notice The swap would pass today's USD cap.
    error DailyCapExceeded(uint256 spentToday, uint256 requested, uint256 cap);
    /// @notice The pool would pay less than the spot price minus the allowed slippage.
    error SlippageExceeded(uint256 amountOut, uint256 minOut);
    /// @notice The spot price is too far above the time-weighted average (a pumped pool).
    error PriceAboveTwap(uint256 spot, uint256 twap);
    /// @notice A share parameter above 10000 bps.
    error InvalidBps(uint256 bps);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event Buyback(
        address indexed executor, uint256 amountIn, uint256 bought, uint256 executorReward, uint256 burned, uint256 toTreasury
    );
    event ParamsSet(uint256 executorRewardBps, uint256 burnBps, uint256 maxSlippageBps, uint256 dailyCap, uint256 twapWindow, uint256 maxTwapDeviationBps);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Params {
        uint256 executorRewardBps;
        uint256 burnBps;
        uint256 maxSlippageBps;
        uint256 dailyCap;
        uint256 twapWindow;           // seconds; the average spans at least this long
        uint256 maxTwapDeviationBps;  // spot may exceed the average by at most this share
    }

    IERC20 public immutable usd;
    ERC20Burnable public immutable token;
    ConstantProductPool public immutable pool;
    address public immutable treasury;
    Params public params;
    /// @notice The day (timestamp / 1 days) that `spentToday` counts.
    uint256 public day;
    uint256 public spentToday;
    /// @notice The oracle: pool.currentCumulative() at obsTime, and the average price (UQ112.112)
    /// over the last completed window (0 until one completes: the guard then does not apply).
    uint256 public obsCumulative;
    uint256 public obsTime;
    uint256 public twap;

    constructor(IERC20 usd_, ERC20Burnable token_, ConstantProductPool pool_, address treasury_, Params memory p, address owner_)
        Ownable(owner_)
    {
        usd = usd_;
        token = token_;
        pool = pool_;
        treasury = treasury_;
        _setParams(p);
        obsCumulative = pool_.currentCumulative();
        obsTime = block.timestamp;
        usd_.forceApprove(address(pool_), type(uint256).max);
    }

    function setParams(Params calldata p) external onlyOwner {
        _setParams(p);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYBACK
    //////////////////////////////////////////////////////////////*/

    function buyback(uint256 amountIn)
        external
        nonReentrant
        returns (uint256 bought, uint256 reward, uint256 burnedAmount, uint256 toTreasury)
    {
        if (amountIn == 0) revert ZeroAmount();
        uint256 available = usd.balanceOf(address(this));
        if (amountIn > available) revert InsufficientFees(available, amountIn);
        uint256 today = block.timestamp / 1 days;
        uint256 spent = today == day ? spentToday : 0;
        if (spent + amountIn > params.dailyCap) revert DailyCapExceeded(spent, amountIn, params.dailyCap);
        day = today;
        spentToday = spent + amountIn;

        // TWAP guard: roll the window when it is long enough, then compare (REFERENCE §9).
        uint256 elapsed = block.timestamp - obsTime;
        if (elapsed > 0 && elapsed >= params.twapWindow) {
            uint256 cumulative = pool.currentCumulative();
            twap = (cumulative - obsCumulative) / elapsed;
            obsCumulative = cumulative;
            obsTime = block.timestamp;
        }
        uint256 spot = pool.spotPrice();
        if (twap != 0 && spot > (twap * (10_000 + params.maxTwapDeviationBps)) / 10_000) revert PriceAboveTwap(spot, twap);

        // Slippage against the spot price (the fee counts as slippage).
        uint256 spotOut = (amountIn * pool.tokenReserve()) / pool.usdReserve();
        uint256 minOut = (spotOut * (10_000 - params.maxSlippageBps)) / 10_000;
        uint256 quoted = pool.getAmountOut(address(usd), amountIn);
        if (quoted < minOut) revert SlippageExceeded(quoted, minOut);
        bought = pool.swap(address(usd), amountIn, minOut, address(this));

        reward = (bought * params.executorRewardBps) / 10_000;
        burnedAmount = ((bought - reward) * params.burnBps) / 10_000;
        toTreasury = bought - reward - burnedAmount;
        IERC20 t = IERC20(address(token));
        if (reward > 0) t.safeTransfer(msg.sender, reward);
        if (burnedAmount > 0) token.burn(burnedAmount);
        if (toTreasury > 0) t.safeTransfer(treasury, toTreasury);
        emit Buyback(msg.sender, amountIn, bought, reward, burnedAmount, toTreasury);
    }

    function _setParams(Params memory p) internal {
        if (p.executorRewardBps > 10_000) revert InvalidBps(p.executorRewardBps);
        if (p.burnBps > 10_000) revert InvalidBps(p.burnBps);
        if (p.maxSlippageBps > 10_000) revert InvalidBps(p.maxSlippageBps);
        if (p.maxTwapDeviationBps > 1_000_000) revert InvalidBps(p.maxTwapDeviationBps);
        params = p;
        emit ParamsSet(p.executorRewardBps, p.burnBps, p.maxSlippageBps, p.dailyCap, p.twapWindow, p.maxTwapDeviationBps);
    }
}
