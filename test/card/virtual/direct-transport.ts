/** A transport straight into a virtual card, without PC/SC: for tests of the reading logic. */
import type { CardTransport } from "../../../src/card/transport.js";

export interface VirtualCard {
  readonly atr: Uint8Array;
  handle(apdu: Uint8Array): Uint8Array;
}

export function directTransport(card: VirtualCard, readerName = "direct"): CardTransport {
  return {
    readerName,
    atr: card.atr,
    transmit: async (apdu) => card.handle(apdu),
    close: async () => {},
  };
}
