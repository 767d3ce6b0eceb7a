/**
 * Card termination where the provider holds the keys (card-tech.md §2). TERMINATE CARD USAGE
 * (TS 102 222, `00 FE 00 00`) needs ADM access to the UICC, and GlobalPlatform SET STATUS
 * TERMINATED (`80 F0 80 FF`) an authenticated SCP02/SCP03 session with the issuer security
 * domain. Neither key ever leaves the operator, so the operator supplies a `SecureChannel`
 * (an HSM-backed session, typically) and this module only orders the commands. Without one, the
 * answer is a refusal that says what to do instead: cancel at the network and cut the chip.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type ResponseApdu,
  SW_OK,
  setCardTerminatedCommand,
  swHex,
  terminateCardUsageCommand,
} from "./apdu.js";
import { CardError } from "./errors.js";
import type { CardChannel } from "./transport.js";

/** A session in which commands are wrapped with the provider's keys (MAC, and encryption where needed). */
export interface SecureSession {
  transmit(apdu: Uint8Array): Promise<ResponseApdu>;
  close(): Promise<void>;
}

/** What a provider plugs in: sessions authenticated towards the UICC (ADM) or the ISD (GP). */
export interface SecureChannel {
  /** Opens an authenticated session over the card's plain channel. */
  open(channel: CardChannel, target: "uicc-adm" | "gp-isd"): Promise<SecureSession>;
}

export type TerminationMethod = "terminate-card-usage" | "gp-set-status";

export interface TerminationResult {
  method: TerminationMethod;
  sw: string;
}

/**
 * Terminates the card irreversibly through the provider's secure channel. `confirm` must be the
 * card's ICCID, typed by the operator, as a guard against terminating the wrong card.
 */
export async function terminateCard(
  channel: CardChannel,
  secure: SecureChannel | null,
  opts: { method: TerminationMethod; iccid: string; confirm: string },
): Promise<TerminationResult> {
  if (!secure) throw new CardError("CARD_TERMINATION_UNAVAILABLE");
  if (opts.confirm !== opts.iccid) {
    throw new CardError("CARD_TERMINATION_REFUSED", {
      sw: "not sent: the confirmation does not match the ICCID",
    });
  }
  const target = opts.method === "terminate-card-usage" ? "uicc-adm" : "gp-isd";
  const session = await secure.open(channel, target);
  try {
    const cmd =
      opts.method === "terminate-card-usage" ? terminateCardUsageCommand() : setCardTerminatedCommand();
    const r = await session.transmit(cmd);
    if (r.sw !== SW_OK) throw new CardError("CARD_TERMINATION_REFUSED", { sw: swHex(r.sw) });
    return { method: opts.method, sw: swHex(r.sw) };
  } finally {
    await session.close();
  }
}

/**
 * Loads a provider's secure channel from an ES module exporting `createSecureChannel()`, so that
 * key handling stays in the provider's code; null when no module is configured.
 */
export async function loadSecureChannel(modulePath: string | undefined): Promise<SecureChannel | null> {
  if (!modulePath) return null;
  const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as {
    createSecureChannel?: () => SecureChannel | Promise<SecureChannel>;
  };
  if (typeof mod.createSecureChannel !== "function") {
    throw new CardError("CARD_TERMINATION_UNAVAILABLE");
  }
  return mod.createSecureChannel();
}
