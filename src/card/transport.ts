/**
 * The card transport port: send command APDU bytes, get response bytes. Adapters implement it
 * (PC/SC via `smartcard`, or a virtual card in tests); `CardChannel` adds what T=0 cards need on
 * top, because PC/SC does not do it: `61xx` → GET RESPONSE, `6Cxx` → resend with Le = xx
 * (TS 102 221 §7.3.1.1.4; verified: pcsc-lite returns the raw `6120`).
 */
import { getResponseCommand, parseResponse, type ResponseApdu } from "./apdu.js";
import { concatBytes, toHex } from "./bytes.js";
import { CardError, statusError } from "./errors.js";

export interface CardTransport {
  readonly readerName: string;
  /** The card's answer to reset. */
  readonly atr: Uint8Array;
  /** Sends one APDU and returns the raw response, status word included. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ApduExchange {
  command: string;
  response: string;
  ms: number;
}

/** `apdu` with its Le set to `le` (case 1 gains one, case 3 too; cases 2 and 4 replace it). */
export function withLe(apdu: Uint8Array, le: number): Uint8Array {
  if (apdu.length === 4) return concatBytes(apdu, Uint8Array.of(le));
  if (apdu.length === 5) return concatBytes(apdu.subarray(0, 4), Uint8Array.of(le));
  const lc = apdu[4] as number;
  return concatBytes(apdu.subarray(0, 5 + lc), Uint8Array.of(le));
}

/** Most GET RESPONSE rounds accepted for one command; a card asking for more is broken. */
const MAX_CHAINED = 64;

export class CardChannel {
  /** Every exchange when logging is on (for `--trace` and tests). */
  readonly log: ApduExchange[] | null;

  constructor(
    readonly transport: CardTransport,
    opts: { log?: boolean } = {},
  ) {
    this.log = opts.log ? [] : null;
  }

  private async raw(apdu: Uint8Array): Promise<ResponseApdu> {
    const started = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await this.transport.transmit(apdu);
    } catch (err) {
      if (err instanceof CardError) throw err;
      throw new CardError("PCSC_ERROR", { detail: err instanceof Error ? err.message : String(err) });
    }
    this.log?.push({ command: toHex(apdu), response: toHex(bytes), ms: performance.now() - started });
    return parseResponse(bytes);
  }

  /**
   * Sends `apdu` and returns the complete response: data fetched with GET RESPONSE while the card
   * answers `61xx` (or `9Fxx` from a 2G SIM), and the command resent once with the Le the card
   * names in `6Cxx`.
   */
  async send(apdu: Uint8Array): Promise<ResponseApdu> {
    let r = await this.raw(apdu);
    if (r.sw >> 8 === 0x6c) r = await this.raw(withLe(apdu, r.sw & 0xff));
    const chunks: Uint8Array[] = [r.data];
    const cla = apdu[0] as number;
    for (let i = 0; r.sw >> 8 === 0x61 || r.sw >> 8 === 0x9f; i++) {
      if (i >= MAX_CHAINED) throw statusError(r.sw, "GET RESPONSE chain");
      const getResponse =
        r.sw >> 8 === 0x9f
          ? Uint8Array.of(0xa0, 0xc0, 0x00, 0x00, r.sw & 0xff)
          : getResponseCommand(cla, r.sw & 0xff);
      r = await this.raw(getResponse);
      if (r.sw >> 8 === 0x6c) r = await this.raw(withLe(getResponse, r.sw & 0xff));
      chunks.push(r.data);
    }
    return { data: concatBytes(...chunks), sw: r.sw };
  }
}
