// Maps ledger Accounts to chain accounts. System accounts (deployer, operator, referee, treasury)
// are anvil's dev accounts from the standard mnemonic; every other party (a node "n17") gets a
// deterministic key keccak256("gsim account " + name): cheap to derive for thousands of nodes,
// the same on every run. Gas price is 0 on our anvil, so no account needs ether.
import { keccak256, stringToHex, toHex, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { systemAccounts, type Account } from "../../core/ledger/ledger.ts";
import { ChainError } from "./chainError.ts";
import { signingKey, type SigningKey } from "./txSigner.ts";

export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

const SYSTEM_INDEX: Record<string, number> = {
  [systemAccounts.deployer]: 0,
  [systemAccounts.operator]: 1,
  [systemAccounts.referee]: 2,
  [systemAccounts.treasury]: 3,
};

export class ChainAccounts {
  private readonly signers = new Map<Account, SigningKey>();
  private readonly byAddress = new Map<Address, Account>();
  /** Contract Accounts ("JobMarket"...) to their deployed addresses. */
  private readonly contracts = new Map<Account, Address>();

  /** The signing key of a party (created on first use). */
  signer(account: Account): SigningKey {
    let s = this.signers.get(account);
    if (s === undefined) {
      if (this.contracts.has(account)) throw new ChainError(`contract ${account} cannot send transactions`);
      const idx = SYSTEM_INDEX[account];
      s = signingKey(idx !== undefined ? toHex(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: idx }).getHdKey().privateKey!) : keccak256(stringToHex(`gsim account ${account}`)));
      this.signers.set(account, s);
      this.byAddress.set(s.address.toLowerCase() as Address, account);
    }
    return s;
  }

  setContract(account: Account, address: Address): void {
    this.contracts.set(account, address);
    this.byAddress.set(address.toLowerCase() as Address, account);
  }

  /** Address of any Account: a contract's deployed address or a party's key's address. */
  address(account: Account): Address {
    return this.contracts.get(account) ?? this.signer(account).address;
  }

  /** The ledger Account behind an address (for messages), or the address itself. */
  nameOf(address: string): string {
    return this.byAddress.get(address.toLowerCase() as Address) ?? address;
  }

  isContract(account: Account): boolean {
    return this.contracts.has(account);
  }
}
