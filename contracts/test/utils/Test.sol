// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The forge cheatcodes these tests use (forge-std is not available offline, STACK.md).
/// Assertions are forge's built-in assertion cheatcodes, which report both values on failure.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertSelector) external;
    function expectRevert() external;
    function label(address account, string calldata newLabel) external;
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(int256 left, int256 right, string calldata message) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata message) external pure;
    function assertEq(bool left, bool right, string calldata message) external pure;
    function assertLe(uint256 left, uint256 right, string calldata message) external pure;
    function assertGe(uint256 left, uint256 right, string calldata message) external pure;
    function assertLt(uint256 left, uint256 right, string calldata message) external pure;
    function assertGt(uint256 left, uint256 right, string calldata message) external pure;
    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
    function assertEq(string calldata left, string calldata right, string calldata message) external pure;
    function expectEmit() external;
}

/// @notice A minimal test base: the cheatcode handle, assertion shorthands, bound(), and the
/// invariant target list that forge reads from `targetContracts()`.
abstract contract Test {
    /// @dev The cheatcode address: address(uint160(uint256(keccak256("hevm cheat code")))).
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev forge runs tests only in contracts with IS_TEST = true.
    bool public IS_TEST = true;

    address[] private _targets;

    // ------------------------------------------------------------ assertions

    function assertEq(uint256 a, uint256 b, string memory why) internal pure { vm.assertEq(a, b, why); }
    function assertEq(int256 a, int256 b, string memory why) internal pure { vm.assertEq(a, b, why); }
    function assertEq(address a, address b, string memory why) internal pure { vm.assertEq(a, b, why); }
    function assertEq(bytes32 a, bytes32 b, string memory why) internal pure { vm.assertEq(a, b, why); }
    function assertEq(bool a, bool b, string memory why) internal pure { vm.assertEq(a, b, why); }
    function assertEq(string memory a, string memory b, string memory why) internal pure { vm.assertEq(a, b, why); }
    function assertLe(uint256 a, uint256 b, string memory why) internal pure { vm.assertLe(a, b, why); }
    function assertGe(uint256 a, uint256 b, string memory why) internal pure { vm.assertGe(a, b, why); }
    function assertTrue(bool c, string memory why) internal pure { vm.assertTrue(c, why); }

    // ------------------------------------------------------------ fuzz helpers

    /// @dev Maps any x into [lo, hi] (inclusive) without discarding runs.
    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        require(lo <= hi, "bound: lo > hi");
        if (x >= lo && x <= hi) return x;
        if (lo == 0 && hi == type(uint256).max) return x;
        return lo + (x % (hi - lo + 1));
    }

    // ------------------------------------------------------------ invariant targets

    function targetContract(address target) internal {
        _targets.push(target);
    }

    /// @dev Read by forge's invariant runner: only these contracts receive random calls.
    function targetContracts() public view returns (address[] memory) {
        return _targets;
    }
}
