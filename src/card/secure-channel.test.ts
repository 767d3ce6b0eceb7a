import { describe, expect, it } from "vitest";
import { toHex } from "./bytes.js";
import { CardError } from "./errors.js";
import { type SecureChannel, terminateCard } from "./secure-channel.js";
import { CardChannel, type CardTransport } from "./transport.js";

const transport: CardTransport = {
  readerName: "none",
  atr: new Uint8Array(),
  transmit: async () => {
    throw new Error("the plain channel must not be used");
  },
  close: async () => {},
};

/** A provider's secure channel as tests see it: records what it was asked to send. */
function fakeSecure(sw = 0x9000): SecureChannel & { sent: string[]; targets: string[]; closed: number } {
  const s = {
    sent: [] as string[],
    targets: [] as string[],
    closed: 0,
    async open(_ch: CardChannel, target: "uicc-adm" | "gp-isd") {
      s.targets.push(target);
      return {
        transmit: async (apdu: Uint8Array) => {
          s.sent.push(toHex(apdu));
          return { data: new Uint8Array(), sw };
        },
        close: async () => {
          s.closed++;
        },
      };
    },
  };
  return s;
}

const ICCID = "89860011102300154616";

describe("card termination", () => {
  it("refuses with CARD_TERMINATION_UNAVAILABLE when no secure channel is configured, explaining what to do", async () => {
    const err = await terminateCard(new CardChannel(transport), null, {
      method: "terminate-card-usage",
      iccid: ICCID,
      confirm: ICCID,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardError);
    expect((err as CardError).code).toBe("CARD_TERMINATION_UNAVAILABLE");
    expect((err as CardError).message).toMatch(
      /ADM.*secure channel.*cancel the subscription.*cutting through the chip/,
    );
    expect((err as CardError).zh).toMatch(/剪断芯片/);
  });

  it("sends TERMINATE CARD USAGE through an ADM session, or GP SET STATUS TERMINATED through the ISD", async () => {
    const s = fakeSecure();
    const ch = new CardChannel(transport);
    expect(
      await terminateCard(ch, s, { method: "terminate-card-usage", iccid: ICCID, confirm: ICCID }),
    ).toEqual({
      method: "terminate-card-usage",
      sw: "9000",
    });
    await terminateCard(ch, s, { method: "gp-set-status", iccid: ICCID, confirm: ICCID });
    expect(s.targets).toEqual(["uicc-adm", "gp-isd"]);
    expect(s.sent).toEqual(["00fe0000", "80f080ff"]);
    expect(s.closed).toBe(2);
  });

  it("sends nothing when the typed ICCID is not the card's, and reports a refusal by the card", async () => {
    const s = fakeSecure(0x6982);
    const ch = new CardChannel(transport);
    await expect(
      terminateCard(ch, s, { method: "terminate-card-usage", iccid: ICCID, confirm: "8986" }),
    ).rejects.toMatchObject({
      code: "CARD_TERMINATION_REFUSED",
    });
    expect(s.sent).toEqual([]);
    await expect(
      terminateCard(ch, s, { method: "gp-set-status", iccid: ICCID, confirm: ICCID }),
    ).rejects.toMatchObject({
      code: "CARD_TERMINATION_REFUSED",
      params: { sw: "6982" },
    });
  });
});
