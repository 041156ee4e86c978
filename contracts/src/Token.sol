// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title Token
/// @notice The protocol token (REFERENCE §9): 10,000,000,000 tokens with 18 decimals minted once
/// to `holder` in the constructor; burnable; there is no mint function afterwards.
contract Token is ERC20, ERC20Burnable {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The fixed supply, minted once: 10B tokens in wei.
    uint256 public constant MAX_SUPPLY = 10_000_000_000 * 1e18;

    constructor(address holder) ERC20("Gensyn", "GSN") {
        _mint(holder, MAX_SUPPLY);
    }

    /// @notice Tokens burned so far (supply only ever falls, by burns).
    function burned() external view returns (uint256) {
        return MAX_SUPPLY - totalSupply();
    }
}
