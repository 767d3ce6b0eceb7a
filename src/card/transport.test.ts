import { describe, expect, it } from "vitest";
import { command, pinStatusCommand, verifyCommand } from "./apdu.js";
import { fromHex, toHex } from "./bytes.js";
import { CardChannel, type CardTransport, withLe } from "./transport.js";

/** A scripted card: each command (hex) gets the next scripted answer. */
function scripted(script: Array<[string, string]>): CardTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    readerName: "script",
    atr: new Uint8Array(),
    sent,
    async transmit(apdu) {
      const cmd = toHex(apdu);
      sent.push(cmd);
      const step = script.shift();
      if (!step || step[0] !== cmd) throw new Error(`unexpected ${cmd}, expected ${step?.[0]}`);
      return fromHex(step[1]);
    },
    async close() {},
  };
}

describe("CardChannel", () => {
  it("follows 61xx with GET RESPONSE, chaining until 9000", async () => {
    const t = scripted([
      ["00a40004022fe200", "6105"],
      ["00c0000005", "01020304056102"],
      ["00c0000002", "06079000"],
    ]);
    const r = await new CardChannel(t).send(fromHex("00a40004022fe200"));
    expect(r).toEqual({ data: fromHex("01020304050607"), sw: 0x9000 });
  });

  it("resends with the Le a 6Cxx names", async () => {
    const t = scripted([
      ["00b2010400", "6c22"],
      ["00b2010422", `${"ab".repeat(34)}9000`],
    ]);
    const r = await new CardChannel(t, { log: true }).send(command(0, 0xb2, 1, 4, null, 0));
    expect(r.data.length).toBe(34);
    expect(t.sent).toEqual(["00b2010400", "00b2010422"]);
  });

  it("sends GET RESPONSE on the command's logical channel", async () => {
    const t = scripted([
      ["81e29100 03bf2d00 00".replace(/ /g, ""), "6103"],
      ["01c0000003", "bf2d009000"],
    ]);
    const r = await new CardChannel(t).send(command(0x81, 0xe2, 0x91, 0, fromHex("bf2d00"), 0));
    expect(toHex(r.data)).toBe("bf2d00");
  });

  it("answers a 2G SIM's 9Fxx with a CLA A0 GET RESPONSE", async () => {
    const t = scripted([
      ["a0a40000023f00", "9f02"],
      ["a0c0000002", "aabb9000"],
    ]);
    expect(toHex((await new CardChannel(t).send(fromHex("a0a40000023f00"))).data)).toBe("aabb");
  });

  it("sets Le on each APDU case", () => {
    expect(toHex(withLe(fromHex("00b20104"), 0x22))).toBe("00b2010422");
    expect(toHex(withLe(fromHex("00b2010400"), 0x22))).toBe("00b2010422");
    expect(toHex(withLe(fromHex("80e2910003bf2d00"), 0x10))).toBe("80e2910003bf2d0010");
    expect(toHex(withLe(fromHex("80e2910003bf2d0000"), 0x10))).toBe("80e2910003bf2d0010");
  });

  it("builds VERIFY as card-tech.md says: ASCII, FF-padded; and the no-data status form", () => {
    expect(toHex(verifyCommand(0x01, "1234")).toUpperCase()).toBe("002000010831323334FFFFFFFF");
    expect(toHex(pinStatusCommand(0x01))).toBe("00200001");
  });
});
