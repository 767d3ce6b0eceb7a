/**
 * The socket side of a virtual card in a vpcd reader, on its own thread (see vpcd.ts for why).
 * vpcd (vsmartcard's vpcd.c) frames each message as a 2-byte big-endian length and a payload; a
 * 1-byte payload is a control code (00 off, 01 on, 02 reset, 04 get ATR: only 04 is answered,
 * with the ATR); anything else is a C-APDU, answered with the R-APDU.
 *
 * Here: the ATR is answered at once, from this thread; power and reset codes are passed on to
 * the card's thread (`{ control }`), APDUs too (`{ apdu }`), whose answer comes back as
 * `{ reply }`. vpcd sends one message at a time and waits for its answer, so at most one APDU
 * is outstanding.
 *
 * Latency: vpcd sends the length and the payload with two send() calls and no TCP_NODELAY, so
 * the payload waits for our ACK of the length, which Linux delays by 40 ms (measured here: 300
 * APDUs took 15 s). When the length has come in alone, we answer at once with the first byte of
 * our reply's length (always 00: every answer of our virtual cards is shorter than 256 bytes).
 * That byte carries the ACK, vpcd sends the payload at once, and vpcd reads the byte as the
 * start of the reply it waits for anyway. Same bytes on the wire, no 40 ms stall.
 */
import { connect } from "node:net";
import { parentPort, workerData } from "node:worker_threads";

const { port, atr, promptAck, timeoutMs } = workerData;
let socket;
let buf = Buffer.alloc(0);
/** Whether the high byte of the current reply's length was already sent. */
let headStarted = false;

function reply(r) {
  if (headStarted) {
    headStarted = false;
    if (r.length > 0xff) {
      // The high byte already sent said "< 256": the card would be answering something else.
      socket.destroy(new Error(`virtual card answer of ${r.length} bytes after a short length was promised`));
      return;
    }
    socket.write(Buffer.from([r.length, ...r]));
    return;
  }
  socket.write(Buffer.concat([Buffer.of(r.length >> 8, r.length & 0xff), Buffer.from(r)]));
}

function onData(chunk) {
  buf = Buffer.concat([buf, chunk]);
  while (buf.length >= 2) {
    const n = buf.readUInt16BE(0);
    if (buf.length < 2 + n) {
      if (n >= 2 && !headStarted && promptAck) {
        headStarted = true;
        socket.write(Buffer.of(0x00));
      }
      return;
    }
    const msg = buf.subarray(2, 2 + n);
    buf = buf.subarray(2 + n);
    if (n === 1) {
      parentPort.postMessage({ control: msg[0] });
      if (msg[0] === 0x04) reply(atr);
      continue;
    }
    parentPort.postMessage({ apdu: new Uint8Array(msg) });
  }
}

parentPort.on("message", (m) => {
  if (m.reply) reply(m.reply);
  if (m.remove) {
    if (socket.destroyed) return parentPort.close();
    socket.once("close", () => parentPort.close());
    socket.end();
    setTimeout(() => socket.destroy(), 500).unref();
  }
});

// Connects to the vpcd driver, retrying while pcscd is still starting.
const deadline = Date.now() + timeoutMs;
for (;;) {
  try {
    socket = await new Promise((resolve, reject) => {
      const s = connect({ host: "127.0.0.1", port });
      s.once("connect", () => resolve(s));
      s.once("error", reject);
    });
    break;
  } catch (err) {
    if (Date.now() > deadline) {
      parentPort.postMessage({
        failed: `vpcd is not listening on 127.0.0.1:${port} (${err.message}); is pcscd with vsmartcard-vpcd running?`,
      });
      parentPort.close();
      process.exit(0);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
socket.setNoDelay(true);
socket.on("data", onData);
socket.on("error", () => {});
parentPort.postMessage({ connected: true });
