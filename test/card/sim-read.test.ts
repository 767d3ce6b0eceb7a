/**
 * The reading logic against virtual cards through a direct transport (no PC/SC): PIN states,
 * phonebook layouts, damaged records, and the eSIM deletion flow with a stub SM-DP+. The real
 * reader path is pcsc-reader.test.ts.
 */
import { describe, expect, it } from "vitest";
import { CardError } from "../../src/card/errors.js";
import { deleteEsimProfile } from "../../src/card/esim-delete.js";
import { EuiccClient } from "../../src/card/euicc.js";
import type { Contact } from "../../src/card/model.js";
import { readCardInfo, readSimBackup } from "../../src/card/sim-read.js";
import { CardChannel } from "../../src/card/transport.js";
import { directTransport } from "./virtual/direct-transport.js";
import { fixtureContacts, SMS_SPECS } from "./virtual/sim-fixtures.js";
import { buildUsim } from "./virtual/usim-builder.js";
import { buildEuicc, VirtualIsdR } from "./virtual/virtual-isdr.js";
import type { VirtualEf } from "./virtual/virtual-uicc.js";

const base = { iccid: "89860011102300154616", imsi: "460001234567890", msisdn: "+8613812348000" };
const few: Contact[] = fixtureContacts(20);

function channelFor(card: Parameters<typeof directTransport>[0]) {
  return new CardChannel(directTransport(card), { log: true });
}

describe("reading a SIM", () => {
  it("reads with the PIN disabled without sending one", async () => {
    const card = buildUsim({ ...base, contacts: few, sms: SMS_SPECS, pin: { enabled: false } });
    const b = await readSimBackup(channelFor(card), { pin: null });
    expect(b.contacts).toEqual(few);
    expect(b.imsi).toBe(base.imsi);
    expect(card.pinWasSent()).toBe(false);
    expect((await readCardInfo(channelFor(card))).pin).toEqual({ state: "not_required" });
  });

  it("asks for the PIN, refuses a blocked one, and never guesses", async () => {
    const card = buildUsim({ ...base, contacts: few, sms: [] });
    await expect(readSimBackup(channelFor(card), { pin: null })).rejects.toMatchObject({
      code: "PIN_REQUIRED",
      params: { triesLeft: 3 },
    });
    card.pin.tries = 0;
    await expect(readSimBackup(channelFor(card), { pin: "1234" })).rejects.toMatchObject({
      code: "PIN_BLOCKED",
    });
    expect(card.pinWasSent()).toBe(false);
  });

  it("falls back to DF.TELECOM's EF.ADN with EF.EXT1 on a card without a USIM phonebook", async () => {
    const card = buildUsim({ ...base, contacts: few, sms: [], withoutPhonebook: true });
    const b = await readSimBackup(channelFor(card), { pin: "1234" });
    expect(b.phonebook).toEqual({ source: "telecom-adn", capacity: 20 });
    // Only the ADN record itself is in DF.TELECOM: second numbers, e-mails and groups are not.
    expect(b.contacts.map((c) => [c.name, c.phones[0]?.number])).toEqual(
      few.map((c) => [c.name, c.phones[0]?.number]),
    );
  });

  it("reports a broken EXT1 chain and an undecodable SMS record instead of failing the backup", async () => {
    const card = buildUsim({ ...base, contacts: fixtureContacts(20), sms: SMS_SPECS.slice(0, 3) });
    const telecom = card.mf.children.find((c) => c.fid === 0x7f10);
    const files = telecom?.kind === "df" ? telecom.children : [];
    const ext1 = files.find((f) => f.fid === 0x6f4a) as VirtualEf;
    const sms = files.find((f) => f.fid === 0x6f3c) as VirtualEf;
    ext1.records?.[0]?.fill(0xff);
    sms.records?.[1]?.set([0x01, 0x00, 0x03], 0);
    const b = await readSimBackup(channelFor(card), { pin: "1234" });
    expect(b.warnings.map((w) => w.code)).toEqual(["EXT1_BROKEN_CHAIN", "SMS_UNDECODABLE"]);
    expect(b.contacts).toHaveLength(20);
    expect(b.messages).toHaveLength(2);
  });
});

describe("deleting an eSIM profile (direct transport, stub SM-DP+)", () => {
  function setup() {
    const isdr = new VirtualIsdR("89086030000000000000123456789186", [
      {
        iccid: "89860011502408231275",
        aid: "a0000005591010ffffffff8900001000",
        state: "enabled",
        profileClass: 2,
        name: "5G",
        serviceProvider: "China Mobile",
        ppr: { disable: false, delete: false },
        notify: { events: ["delete"], address: "smdp.example" },
      },
    ]);
    const card = buildEuicc(isdr);
    const posted: string[] = [];
    const fetchStub = (async (url: string | URL | Request) => {
      posted.push(String(url));
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    return { isdr, card, posted, fetchStub };
  }

  it("opens a logical channel, disables, deletes, notifies and removes the notification", async () => {
    const { isdr, card, posted, fetchStub } = setup();
    const channel = channelFor(card);
    const euicc = await EuiccClient.open(channel);
    expect(euicc.logicalChannel).toBe(1);
    expect(await euicc.getEid()).toBe("89086030000000000000123456789186");
    const report = await deleteEsimProfile(euicc, "89860011502408231275", { fetch: fetchStub });
    await euicc.close();
    expect(report).toMatchObject({
      disabled: true,
      deleted: true,
      notifications: [{ events: ["delete"], status: 204, removedFromChip: true }],
    });
    expect(posted).toEqual(["https://smdp.example/gsma/rsp2/es9plus/handleNotification"]);
    expect(isdr.profiles).toEqual([]);
    expect(isdr.notifications).toEqual([]);
    // Every ES10 call went as STORE DATA on channel 1 (CLA 81).
    expect(
      channel.log?.filter((e) => e.command.slice(2, 4) === "e2").every((e) => e.command.startsWith("81e291")),
    ).toBe(true);
    // The DeleteProfile APDU is the card-tech.md vector's shape, on channel 1.
    expect(channel.log?.some((e) => e.command === "81e291000fbf330c5a0a9868001105428032215700")).toBe(true);
  });

  it("says which profiles there are when the ICCID is not on the eUICC", async () => {
    const { card, fetchStub } = setup();
    const euicc = await EuiccClient.open(channelFor(card));
    const err = await deleteEsimProfile(euicc, "89860000000000000000", { fetch: fetchStub }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CardError);
    expect((err as CardError).code).toBe("ESIM_PROFILE_NOT_FOUND");
    expect((err as CardError).message).toContain("89860011502408231275 (enabled)");
  });

  it("refuses a card that has no ISD-R", async () => {
    const card = buildUsim({ ...base, contacts: [], sms: [] });
    await expect(EuiccClient.open(channelFor(card))).rejects.toMatchObject({ code: "ES10_ERROR" });
  });
});
