// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Staking
/// @notice Solvers and verifiers stake the Token; unstaking waits `unstakeDelay` seconds; only
/// protocol contracts holding SLASHER_ROLE can slash (REFERENCE §1, §9). A pending unstake is
/// still slashable, so leaving does not escape a dispute.
contract Staking is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice An amount of zero was given where a positive amount is required.
    error ZeroAmount();
    /// @notice The account asked to unstake more than its active stake.
    error InsufficientStake(address account, uint256 staked, uint256 requested);
    /// @notice The account has no pending unstake to withdraw.
    error NothingToWithdraw(address account);
    /// @notice The pending unstake is still locked until `unlockAt`.
    error UnstakeLocked(address account, uint256 unlockAt, uint256 nowTime);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event Staked(address indexed account, uint256 amount, uint256 total);
    event UnstakeRequested(address indexed account, uint256 amount, uint256 unlockAt);
    event Withdrawn(address indexed account, uint256 amount);
    event Slashed(address indexed account, uint256 amount, address indexed recipient, address indexed slasher);

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");

    IERC20 public immutable token;
    uint256 public immutable unstakeDelay;

    struct Pending {
        uint256 amount;
        uint256 unlockAt;
    }

    mapping(address => uint256) public stakeOf;
    mapping(address => Pending) public pendingUnstake;
    /// @notice Active stake plus pending unstakes: equals this contract's token balance.
    uint256 public totalStaked;

    constructor(IERC20 token_, uint256 unstakeDelay_, address admin) {
        token = token_;
        unstakeDelay = unstakeDelay_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                 STAKING
    //////////////////////////////////////////////////////////////*/

    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        stakeOf[msg.sender] += amount;
        totalStaked += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, amount, stakeOf[msg.sender]);
    }

    /// @notice Moves `amount` to the pending unstake; the whole pending amount unlocks at now + delay.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 staked = stakeOf[msg.sender];
        if (amount > staked) revert InsufficientStake(msg.sender, staked, amount);
        stakeOf[msg.sender] = staked - amount;
        Pending storage p = pendingUnstake[msg.sender];
        p.amount += amount;
        p.unlockAt = block.timestamp + unstakeDelay;
        emit UnstakeRequested(msg.sender, amount, p.unlockAt);
    }

    function withdraw() external nonReentrant returns (uint256 amount) {
        Pending memory p = pendingUnstake[msg.sender];
        if (p.amount == 0) revert NothingToWithdraw(msg.sender);
        if (block.timestamp < p.unlockAt) revert UnstakeLocked(msg.sender, p.unlockAt, block.timestamp);
        amount = p.amount;
        delete pendingUnstake[msg.sender];
        totalStaked -= amount;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 SLASHING
    //////////////////////////////////////////////////////////////*/

    /// @notice Takes up to `amount` from the active stake, then from the pending unstake, and
    /// sends it to `recipient`. Returns what was actually slashed (less when the stake is short).
    function slash(address account, uint256 amount, address recipient)
        external
        onlyRole(SLASHER_ROLE)
        nonReentrant
        returns (uint256 slashed)
    {
        uint256 fromStake = amount < stakeOf[account] ? amount : stakeOf[account];
        stakeOf[account] -= fromStake;
        uint256 rest = amount - fromStake;
        uint256 pending = pendingUnstake[account].amount;
        uint256 fromPending = rest < pending ? rest : pending;
        pendingUnstake[account].amount = pending - fromPending;
        slashed = fromStake + fromPending;
        totalStaked -= slashed;
        if (slashed > 0) token.safeTransfer(recipient, slashed);
        emit Slashed(account, slashed, recipient, msg.sender);
    }
}
