// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title ConstantProductPool
/// @notice A USD/Token constant-product AMM (Uniswap V2 arithmetic) that the BuybackVault trades
/// on (REFERENCE §9): out = in*(10000-fee)*R_out / (R_in*10000 + in*(10000-fee)), rounded down.
/// Seeded once by the owner; no LP shares (liquidity is protocol-owned in the simulation).
/// A Uniswap-V2-style price accumulator (USD per token as UQ112.112, times seconds) lets the
/// BuybackVault check the spot price against a time-weighted average (REFERENCE §9).
contract ConstantProductPool is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The pool was seeded already.
    error AlreadySeeded();
    /// @notice The pool has no liquidity yet.
    error NotSeeded();
    /// @notice An amount of zero was given where a positive amount is required.
    error ZeroAmount();
    /// @notice The input token is neither of the pool's two tokens.
    error InvalidToken(address token);
    /// @notice The swap would give less than the caller's minimum.
    error InsufficientOutput(uint256 amountOut, uint256 minOut);
    /// @notice The fee is 10000 bps or more.
    error InvalidFee(uint256 feeBps);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event Seeded(uint256 usdReserve, uint256 tokenReserve);
    event Swapped(address indexed sender, address indexed tokenIn, uint256 amountIn, uint256 amountOut, address to);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    IERC20 public immutable usd;
    IERC20 public immutable token;
    uint256 public immutable feeBps;
    uint256 public usdReserve;
    uint256 public tokenReserve;
    /// @notice Sum of spotPrice() x seconds, up to lastUpdate.
    uint256 public priceCumulative;
    uint256 public lastUpdate;

    constructor(IERC20 usd_, IERC20 token_, uint256 feeBps_, address owner_) Ownable(owner_) {
        if (feeBps_ >= 10_000) revert InvalidFee(feeBps_);
        usd = usd_;
        token = token_;
        feeBps = feeBps_;
    }

    /*//////////////////////////////////////////////////////////////
                                 LIQUIDITY
    //////////////////////////////////////////////////////////////*/

    function seed(uint256 usdAmount, uint256 tokenAmount) external onlyOwner nonReentrant {
        if (usdReserve != 0) revert AlreadySeeded();
        if (usdAmount == 0 || tokenAmount == 0) revert ZeroAmount();
        _accrue();
        usdReserve = usdAmount;
        tokenReserve = tokenAmount;
        usd.safeTransferFrom(msg.sender, address(this), usdAmount);
        token.safeTransferFrom(msg.sender, address(this), tokenAmount);
        emit Seeded(usdAmount, tokenAmount);
    }

    /*//////////////////////////////////////////////////////////////
                                 SWAPS
    //////////////////////////////////////////////////////////////*/

    /// @notice Output for `amountIn` of `tokenIn` at the current reserves.
    function getAmountOut(address tokenIn, uint256 amountIn) public view returns (uint256) {
        (uint256 rIn, uint256 rOut) = _reserves(tokenIn);
        uint256 inWithFee = amountIn * (10_000 - feeBps);
        return (inWithFee * rOut) / (rIn * 10_000 + inWithFee);
    }

    function swap(address tokenIn, uint256 amountIn, uint256 minOut, address to)
        external
        nonReentrant
        returns (uint256 amountOut)
    {
        if (amountIn == 0) revert ZeroAmount();
        if (usdReserve == 0) revert NotSeeded();
        amountOut = getAmountOut(tokenIn, amountIn);
        if (amountOut < minOut || amountOut == 0) revert InsufficientOutput(amountOut, minOut);
        bool usdIn = tokenIn == address(usd);
        _accrue();
        if (usdIn) {
            usdReserve += amountIn;
            tokenReserve -= amountOut;
        } else {
            tokenReserve += amountIn;
            usdReserve -= amountOut;
        }
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        (usdIn ? token : usd).safeTransfer(to, amountOut);
        emit Swapped(msg.sender, tokenIn, amountIn, amountOut, to);
    }

    /*//////////////////////////////////////////////////////////////
                                 PRICE ORACLE
    //////////////////////////////////////////////////////////////*/

    /// @notice USD per token as a UQ112.112 fixed-point number (0 before seeding).
    function spotPrice() public view returns (uint256) {
        return tokenReserve == 0 ? 0 : (usdReserve << 112) / tokenReserve;
    }

    /// @notice priceCumulative brought up to now (the price has not changed since lastUpdate).
    function currentCumulative() public view returns (uint256) {
        return priceCumulative + spotPrice() * (block.timestamp - lastUpdate);
    }

    function _accrue() internal {
        priceCumulative = currentCumulative();
        lastUpdate = block.timestamp;
    }

    function _reserves(address tokenIn) internal view returns (uint256 rIn, uint256 rOut) {
        if (tokenIn == address(usd)) return (usdReserve, tokenReserve);
        if (tokenIn == address(token)) return (tokenReserve, usdReserve);
        revert InvalidToken(tokenIn);
    }
}
