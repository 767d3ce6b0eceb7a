/**
 * Anyone may verify a receipt: the answer is the signature's verdict against this service's key
 * set, and whether this service has the very same document on record.
 */
import type { AppDeps } from "../app/context.js";
import { findReceiptByJws } from "../db/receipts-repository.js";
import type { ReceiptVerdict } from "./jws.js";
import { verifyReceipt } from "./verify.js";

export type OnlineVerdict = ReceiptVerdict & { onRecord: boolean };

export async function verifyReceiptOnline(deps: AppDeps, input: Buffer | string): Promise<OnlineVerdict> {
  const { jws, ...verdict } = await verifyReceipt(input, deps.signingKeys.jwks());
  const onRecord = verdict.valid && jws !== null && (await findReceiptByJws(deps.db, jws)) !== undefined;
  return { ...verdict, onRecord };
}
