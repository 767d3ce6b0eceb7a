/**
 * Puts a virtual card into a vsmartcard `vpcd` reader (vpcd.c): we connect to the driver on
 * 127.0.0.1 (it binds every interface; we only ever use loopback). Each message is a 2-byte
 * big-endian length and a payload; a 1-byte payload is a control code (00 off, 01 on, 02 reset,
 * 04 get ATR — only 04 is answered, with the ATR); anything else is a C-APDU answered with the
 * R-APDU.
 *
 * Latency: vpcd sends the length and the payload with two send() calls and no TCP_NODELAY, so
 * the payload waits for our ACK of the length, which Linux delays by 40 ms (measured here:
 * 300 APDUs took 15 s). When the length has come in alone, we answer at once with the first
 * byte of our reply's length (always 00: every answer of our virtual cards is shorter than 256
 * bytes). That byte carries the ACK, vpcd sends the payload at once, and vpcd reads the byte as
 * the start of the reply it waits for anyway. Same bytes on the wire, no 40 ms stall.
 */
import { connect, type Socket } from "node:net";
import type { VirtualCard } from "./direct-transport.js";

export const VPCD_PORTS = [35963, 35964] as const;
export const VPCD_READERS = ["Virtual PCD 00 00", "Virtual PCD 00 01"] as const;

export interface PoweredCard extends VirtualCard {
  reset(): void;
}

export class VpcdCard {
  private buf = Buffer.alloc(0);
  /** Whether the high byte of the current reply's length was already sent. */
  private headStarted = false;
  private closed = false;
  /** Control codes and APDUs seen, for tests. */
  readonly counts = { apdus: 0, controls: 0 };

  private constructor(
    private readonly socket: Socket,
    private readonly card: PoweredCard,
    /** Answer a lone length at once (see above); off only to measure what it saves. */
    private readonly promptAck: boolean,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (d) => this.onData(d));
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
    });
  }

  /** Connects to the vpcd driver on `port`, retrying while pcscd is still starting. */
  static async insert(
    card: PoweredCard,
    port: number = VPCD_PORTS[0],
    opts: { timeoutMs?: number; promptAck?: boolean } = {},
  ): Promise<VpcdCard> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: "127.0.0.1", port });
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        });
        return new VpcdCard(socket, card, opts.promptAck ?? true);
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(
            `vpcd is not listening on 127.0.0.1:${port} (${(err as Error).message}); is pcscd with vsmartcard-vpcd running?`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Takes the card out of the reader. */
  async remove(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.end();
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 500).unref();
    });
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 2) {
      const n = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + n) {
        if (n >= 2 && !this.headStarted && this.promptAck) {
          this.headStarted = true;
          this.socket.write(Buffer.of(0x00));
        }
        return;
      }
      const msg = this.buf.subarray(2, 2 + n);
      this.buf = this.buf.subarray(2 + n);
      if (n === 1) {
        this.counts.controls++;
        const code = msg[0];
        if (code === 0x04) this.reply(this.card.atr);
        else if (code === 0x00 || code === 0x01 || code === 0x02) this.card.reset();
        continue;
      }
      this.counts.apdus++;
      let r: Uint8Array;
      try {
        r = this.card.handle(new Uint8Array(msg));
      } catch (err) {
        process.stderr.write(`virtual card failed on ${msg.toString("hex")}: ${(err as Error).stack}\n`);
        r = Uint8Array.of(0x6f, 0x00);
      }
      this.reply(r);
    }
  }

  private reply(r: Uint8Array): void {
    if (this.headStarted) {
      this.headStarted = false;
      if (r.length > 0xff) {
        // The high byte already sent said "< 256": the card would be answering something else.
        this.socket.destroy(
          new Error(`virtual card answer of ${r.length} bytes after a short length was promised`),
        );
        return;
      }
      this.socket.write(Buffer.from([r.length, ...r]));
      return;
    }
    this.socket.write(Buffer.concat([Buffer.of(r.length >> 8, r.length & 0xff), r]));
  }
}
