/**
 * Puts a virtual card into a vsmartcard `vpcd` reader (vpcd.c): we connect to the driver on
 * 127.0.0.1 (it binds every interface; we only ever use loopback). The framing and the prompt
 * ACK that spares vpcd's 40 ms stall are in vpcd-worker.mjs.
 *
 * The socket is served from a worker thread, the card (its files, PIN counter and log, read and
 * changed by the tests) stays on the caller's thread. pcscd asks a card for its ATR at any time
 * (presence checks, under its reader lock), and some PC/SC calls of the `smartcard` addon block
 * their thread until pcscd answers (`new Context()`, `listReaders()`, `disconnect()`, `close()`):
 * with the socket on the same thread as such a call, pcscd waited for the ATR and the thread for
 * pcscd, for ever. The worker answers the ATR itself; only APDUs (sent by asynchronous calls)
 * and power or reset codes go to the card's thread.
 */
import { Worker } from "node:worker_threads";
import type { VirtualCard } from "./direct-transport.js";

export const VPCD_PORTS = [35963, 35964] as const;
export const VPCD_READERS = ["Virtual PCD 00 00", "Virtual PCD 00 01"] as const;

export interface PoweredCard extends VirtualCard {
  reset(): void;
}

export class VpcdCard {
  /** Control codes and APDUs seen, for tests. */
  readonly counts = { apdus: 0, controls: 0 };
  #gone: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly card: PoweredCard,
  ) {
    this.#gone = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (m: { control?: number; apdu?: Uint8Array }) => {
      if (m.control !== undefined) {
        this.counts.controls++;
        if (m.control === 0x00 || m.control === 0x01 || m.control === 0x02) this.card.reset();
      }
      if (m.apdu !== undefined) this.onApdu(m.apdu);
    });
    // A card left in the reader does not keep the process alive.
    worker.unref();
  }

  /** Connects to the vpcd driver on `port`, retrying while pcscd is still starting. */
  static async insert(
    card: PoweredCard,
    port: number = VPCD_PORTS[0],
    opts: { timeoutMs?: number; promptAck?: boolean } = {},
  ): Promise<VpcdCard> {
    const worker = new Worker(new URL("./vpcd-worker.mjs", import.meta.url), {
      workerData: {
        port,
        atr: card.atr,
        // Answer a lone length at once (see vpcd-worker.mjs); off only to measure what it saves.
        promptAck: opts.promptAck ?? true,
        timeoutMs: opts.timeoutMs ?? 10_000,
      },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { connected?: true; failed?: string }) => {
        if (m.connected) resolve();
        else if (m.failed) reject(new Error(m.failed));
        else return;
        worker.off("message", onMessage);
        worker.off("error", reject);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
    return new VpcdCard(worker, card);
  }

  /** Takes the card out of the reader. */
  async remove(): Promise<void> {
    this.worker.postMessage({ remove: true });
    const timer = setTimeout(() => void this.worker.terminate(), 2000);
    await this.#gone;
    clearTimeout(timer);
  }

  private onApdu(apdu: Uint8Array): void {
    this.counts.apdus++;
    let r: Uint8Array;
    try {
      r = this.card.handle(apdu);
    } catch (err) {
      process.stderr.write(
        `virtual card failed on ${Buffer.from(apdu).toString("hex")}: ${(err as Error).stack}\n`,
      );
      r = Uint8Array.of(0x6f, 0x00);
    }
    this.worker.postMessage({ reply: r });
  }
}
