// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title StableToken
/// @notice The simulated stable asset jobs are paid in (USD, 18 decimals). The owner mints it as
/// a faucet; the protocol fee in it is what the BuybackVault swaps for the Token (REFERENCE §9).
contract StableToken is ERC20, Ownable {
    constructor(address owner_) ERC20("Simulated USD", "USD") Ownable(owner_) {}

    /// @notice Faucet: owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
