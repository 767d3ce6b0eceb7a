/**
 * PC/SC adapter of the card transport, over the `smartcard` N-API addon. The addon is an
 * optional dependency loaded with a dynamic `import()`, so the rest of zhuxiao runs where it is
 * absent; asking for a reader there fails with `PCSC_UNAVAILABLE` and what to install.
 *
 * Only the narrow part of the addon we use is typed here (a structural type we own).
 */
import { CardError } from "./errors.js";
import type { CardTransport } from "./transport.js";

interface PcscCard {
  readonly atr: Buffer | null;
  transmit(command: Buffer, options?: { maxRecvLength?: number }): Promise<Buffer>;
  disconnect(disposition?: number): void;
}

interface PcscReader {
  readonly name: string;
  readonly state: number;
  readonly atr: Buffer | null;
  connect(shareMode?: number, protocol?: number): Promise<PcscCard>;
}

interface PcscContext {
  listReaders(): PcscReader[];
  close(): void;
}

export interface SmartcardModule {
  Context: new () => PcscContext;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_LEAVE_CARD: number;
  SCARD_STATE_PRESENT: number;
}

let loaded: Promise<SmartcardModule> | null = null;

/** Loads the addon once; a missing or unbuilt addon becomes `PCSC_UNAVAILABLE`. */
export function loadSmartcard(): Promise<SmartcardModule> {
  loaded ??= (async () => {
    // A variable specifier keeps TypeScript from requiring the optional package at build time.
    const specifier = "smartcard";
    try {
      const mod = (await import(specifier)) as SmartcardModule & { default?: SmartcardModule };
      return mod.Context ? mod : (mod.default as SmartcardModule);
    } catch (err) {
      loaded = null;
      throw new CardError("PCSC_UNAVAILABLE", {
        detail: `the smartcard addon could not be loaded (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`,
      });
    }
  })();
  return loaded;
}

function openContext(sc: SmartcardModule): PcscContext {
  try {
    return new sc.Context();
  } catch (err) {
    throw new CardError("PCSC_UNAVAILABLE", {
      detail: `${err instanceof Error ? err.message : String(err)} (is pcscd running?)`,
    });
  }
}

export interface ReaderInfo {
  name: string;
  cardPresent: boolean;
  atr: string | null;
}

/** The readers PC/SC knows, and whether each holds a card. */
export async function listReaders(): Promise<ReaderInfo[]> {
  const sc = await loadSmartcard();
  const ctx = openContext(sc);
  try {
    return ctx.listReaders().map((r) => ({
      name: r.name,
      cardPresent: (r.state & sc.SCARD_STATE_PRESENT) !== 0,
      atr: r.atr ? r.atr.toString("hex") : null,
    }));
  } finally {
    ctx.close();
  }
}

export interface OpenReaderOptions {
  /** Part of the reader's name (case-insensitive); default: the first reader holding a card. */
  reader?: string;
  /** How long to wait for a reader and a card to appear; default 0 (fail at once). */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects to the card in a reader and returns it as a transport. */
export async function openPcscTransport(opts: OpenReaderOptions = {}): Promise<CardTransport> {
  const sc = await loadSmartcard();
  const ctx = openContext(sc);
  const deadline = Date.now() + (opts.waitMs ?? 0);
  const wanted = opts.reader?.toLowerCase();
  try {
    for (;;) {
      let readers: PcscReader[];
      try {
        readers = ctx.listReaders();
      } catch (err) {
        throw new CardError("PCSC_UNAVAILABLE", { detail: `listing readers: ${(err as Error).message}` });
      }
      const matching = readers.filter((r) => !wanted || r.name.toLowerCase().includes(wanted));
      const withCard = matching.find((r) => (r.state & sc.SCARD_STATE_PRESENT) !== 0);
      if (withCard) return await connect(sc, ctx, withCard);
      if (Date.now() >= deadline) {
        if (matching.length === 0) {
          throw new CardError("READER_NOT_FOUND", {
            reader: opts.reader ?? "(any)",
            readers: readers.map((r) => r.name).join(", ") || "none",
          });
        }
        throw new CardError("CARD_ABSENT", { reader: matching.map((r) => r.name).join(", ") });
      }
      await sleep(50);
    }
  } catch (err) {
    ctx.close();
    throw err;
  }
}

async function connect(sc: SmartcardModule, ctx: PcscContext, reader: PcscReader): Promise<CardTransport> {
  let card: PcscCard;
  try {
    card = await reader.connect(sc.SCARD_SHARE_SHARED, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1);
  } catch (err) {
    throw new CardError("PCSC_ERROR", { detail: `connect ${reader.name}: ${(err as Error).message}` });
  }
  const atr = new Uint8Array(card.atr ?? reader.atr ?? []);
  return {
    readerName: reader.name,
    atr,
    async transmit(apdu: Uint8Array): Promise<Uint8Array> {
      try {
        // Raw transmit: T=0 status words are handled by CardChannel, with the right CLA channel.
        return new Uint8Array(await card.transmit(Buffer.from(apdu), { maxRecvLength: 258 }));
      } catch (err) {
        throw new CardError("PCSC_ERROR", { detail: `${reader.name}: ${(err as Error).message}` });
      }
    },
    async close(): Promise<void> {
      try {
        card.disconnect(sc.SCARD_LEAVE_CARD);
      } finally {
        ctx.close();
      }
    },
  };
}
