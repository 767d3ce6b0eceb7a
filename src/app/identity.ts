/**
 * Checks the identifiers a holder gives (ID number, ICCID, bank card number) for form first —
 * a typo gets its own clear error — and then against the card's records by keyed hash.
 */
import type { CardRow, HolderRow } from "../db/schema.js";
import { checkBankCardNumber, checkIccid, checkIdNumber } from "../domain/identifiers.js";
import type { PiiVault } from "../ports/index.js";
import type { IdentityInput } from "./application-input.js";
import { AppError } from "./errors.js";

export function verifyIdentity(
  vault: PiiVault,
  holder: HolderRow,
  card: CardRow,
  input: IdentityInput,
  now: Date,
): void {
  if (input.idNumber !== undefined) {
    let normalised: string;
    if (holder.idType === "resident_id") {
      const r = checkIdNumber(input.idNumber, now);
      if (!r.ok) throw new AppError("ID_NUMBER_INVALID", { field: "identity.idNumber", reason: r.code });
      normalised = r.value;
    } else {
      // Passports and permits have no check character: compare the document number as written.
      normalised = input.idNumber.trim().toUpperCase();
    }
    if (vault.hash(normalised) !== holder.idNumberHash) {
      throw new AppError("IDENTITY_MISMATCH", { field: "identity.idNumber" });
    }
  }
  if (input.iccid !== undefined) {
    const r = checkIccid(input.iccid);
    // An all-digit ICCID that fails Luhn is a typo; codes with a printed letter cannot be checked.
    if (!r.ok || r.warnings.includes("ICCID_LUHN")) {
      throw new AppError("ICCID_INVALID", { field: "identity.iccid", reason: r.ok ? "ICCID_LUHN" : r.code });
    }
    if (r.value !== card.iccid) throw new AppError("IDENTITY_MISMATCH", { field: "identity.iccid" });
  }
  if (input.cardNumber !== undefined) {
    const r = checkBankCardNumber(input.cardNumber);
    if (!r.ok || r.warnings.includes("BANK_CARD_LUHN")) {
      throw new AppError("CARD_NUMBER_INVALID", {
        field: "identity.cardNumber",
        reason: r.ok ? "BANK_CARD_LUHN" : r.code,
      });
    }
    if (vault.hash(r.value) !== card.cardNumberHash)
      throw new AppError("IDENTITY_MISMATCH", { field: "identity.cardNumber" });
  }
}
