/**
 * The real PC/SC path: pcscd with the vsmartcard vpcd driver, the `smartcard` N-API addon, and
 * virtual cards speaking the vpcd protocol on 127.0.0.1 — a USIM with 250 contacts and 30 SMS
 * records in "Virtual PCD 00 00", an eUICC in "Virtual PCD 00 01". Nothing here is skipped: a
 * missing pcscd, vpcd driver or addon fails the suite with what to install.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { command, SELECT_BY_FID, selectCommand } from "../../src/card/apdu.js";
import { toHex } from "../../src/card/bytes.js";
import { CardError } from "../../src/card/errors.js";
import { listReaders, loadSmartcard, openPcscTransport } from "../../src/card/pcsc-transport.js";
import { readCardInfo, readSimBackup } from "../../src/card/sim-read.js";
import { parseSmsBackupXml } from "../../src/card/sms-backup-xml.js";
import { CardChannel, type CardTransport } from "../../src/card/transport.js";
import { parseVCards } from "../../src/card/vcard-read.js";
import { D } from "../support/demo.js";
import { Harness, type Session } from "../support/harness.js";
import { runCli } from "./cli-runner.js";
import { type PcscdHandle, startPcscd } from "./virtual/pcscd.js";
import { expectedMessage, fixtureContacts, SMS_SPECS } from "./virtual/sim-fixtures.js";
import { startTestSmdp, type TestSmdp } from "./virtual/test-smdp.js";
import { buildUsim } from "./virtual/usim-builder.js";
import { buildEuicc, VirtualIsdR } from "./virtual/virtual-isdr.js";
import type { VirtualUicc } from "./virtual/virtual-uicc.js";
import { VPCD_PORTS, VPCD_READERS, VpcdCard } from "./virtual/vpcd.js";

const ICCID = D.cleanSim.iccid;
const IMSI = "460001234567890";
const ESIM = {
  card: "card_demo_esim_clean",
  iccid: "89860011502408231275",
  eid: "89086030000000000000123456789186",
};
const LOCKED_ICCID = "89860011502408231283";
const SECRET = "provider-secret-for-card-tests-0123456789";
const SMDP_ADDRESS = "smdp.demo-mobile.example";

const contacts = fixtureContacts();
const expectedMessages = SMS_SPECS.map(expectedMessage);

let pcscd: PcscdHandle;
let usim: VirtualUicc;
let euicc: VirtualUicc;
let isdr: VirtualIsdR;
const inserted: VpcdCard[] = [];

function selectFcp(fid: number): Uint8Array {
  return selectCommand(SELECT_BY_FID, Uint8Array.of(fid >> 8, fid & 0xff));
}

async function open(reader: string): Promise<CardTransport> {
  return openPcscTransport({ reader, waitMs: 10_000 });
}

beforeAll(async () => {
  // Fails (never skips) with what to install when the addon or pcscd is missing.
  await loadSmartcard();
  pcscd = await startPcscd();
  usim = buildUsim({ iccid: ICCID, imsi: IMSI, msisdn: `+86${D.cleanSim.msisdn}`, contacts, sms: SMS_SPECS });
  isdr = new VirtualIsdR(ESIM.eid, [
    {
      iccid: ESIM.iccid,
      aid: "a0000005591010ffffffff8900001000",
      state: "enabled",
      profileClass: 2,
      name: "中国移动 5G",
      serviceProvider: "China Mobile",
      ppr: { disable: false, delete: false },
      notify: { events: ["disable", "delete"], address: SMDP_ADDRESS },
    },
    {
      iccid: LOCKED_ICCID,
      aid: "a0000005591010ffffffff8900001100",
      state: "disabled",
      profileClass: 2,
      name: "Locked",
      serviceProvider: "Operator",
      ppr: { disable: false, delete: true },
      notify: null,
    },
  ]);
  euicc = buildEuicc(isdr);
  inserted.push(await VpcdCard.insert(usim, VPCD_PORTS[0]));
  inserted.push(await VpcdCard.insert(euicc, VPCD_PORTS[1]));
});

afterAll(async () => {
  for (const c of inserted) await c.remove();
  await pcscd?.stop();
});

describe("a USIM in a PC/SC reader (pcscd + vpcd)", () => {
  it("shows ICCID, PIN status and phonebook size without sending a PIN", async () => {
    usim.reset();
    const t = await open(VPCD_READERS[0]);
    try {
      const info = await readCardInfo(new CardChannel(t));
      expect(info).toMatchObject({
        reader: VPCD_READERS[0],
        atr: "3b9f96801f878031e073fe211b674a4c753034054ba9",
        iccid: ICCID,
        imsi: null,
        pin: { state: "required", triesLeft: 3 },
        phonebook: { source: "usim-global", records: 250 },
      });
    } finally {
      await t.close();
    }
    expect(usim.pinWasSent()).toBe(false);
  });

  it("reads 250 contacts and 30 SMS records within the 3 s budget, and the exports equal what was put on the card", async () => {
    usim.reset();
    const t = await open(VPCD_READERS[0]);
    const channel = new CardChannel(t, { log: true });
    const started = performance.now();
    const backup = await readSimBackup(channel, { pin: "1234" }).finally(() => t.close());
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(3000);
    expect(backup.iccid).toBe(ICCID);
    expect(backup.imsi).toBe(IMSI);
    expect(backup.sms).toEqual({ capacity: 40, used: 30 });
    expect(backup.contacts).toEqual(contacts);
    expect(new Set(backup.contacts.map((c) => c.name))).toContain("张三");
    expect(backup.messages).toHaveLength(expectedMessages.length);
    expect(new Set(backup.messages.map((m) => JSON.stringify(m)))).toEqual(
      new Set(expectedMessages.map((m) => JSON.stringify(m))),
    );
    // The only warnings: sent messages carry no time on a SIM.
    expect(new Set(backup.warnings.map((w) => w.code))).toEqual(new Set(["SMS_NO_TIMESTAMP"]));
  });

  it("handles 61xx and 6Cxx itself, because PC/SC passes them through", async () => {
    usim.reset();
    const t = await open(VPCD_READERS[0]);
    try {
      // Raw: pcsc-lite returns the T=0 status word as it is.
      const raw = await t.transmit(selectFcp(0x2fe2));
      expect(toHex(raw).slice(0, 2)).toBe("61");
      const channel = new CardChannel(t, { log: true });
      const fcp = await channel.send(selectFcp(0x2fe2));
      expect(fcp.sw).toBe(0x9000);
      expect(toHex(fcp.data).startsWith("62")).toBe(true);
      await channel.send(selectFcp(0x2f00));
      // Le 00 where the record has 38 bytes: the card answers 6C26 and the channel asks again.
      const rec = await channel.send(command(0x00, 0xb2, 1, 0x04, null, 0x00));
      expect(rec.sw).toBe(0x9000);
      expect(rec.data.length).toBe(38);
      expect(channel.log?.map((e) => e.response.slice(-4))).toContain("6c26");
    } finally {
      await t.close();
    }
  });

  it("never sends a PIN when one try is left, and says why", async () => {
    usim.reset();
    usim.pin.tries = 1;
    const before = usim.log.length;
    const t = await open(VPCD_READERS[0]);
    try {
      await expect(readSimBackup(new CardChannel(t), { pin: "1234" })).rejects.toMatchObject({
        code: "PIN_LAST_TRY",
      });
    } finally {
      await t.close();
      usim.pin.tries = 3;
    }
    const sent = usim.log.slice(before).filter((e) => e.command.startsWith("00200001"));
    expect(sent.map((e) => [e.command, e.response])).toEqual([["00200001", "63c1"]]);
  });

  it("reports a wrong PIN with the tries left, reading the counter first", async () => {
    usim.reset();
    const t = await open(VPCD_READERS[0]);
    try {
      const err = await readSimBackup(new CardChannel(t), { pin: "9999" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CardError);
      expect(err).toMatchObject({ code: "PIN_WRONG", params: { triesLeft: 2 } });
    } finally {
      await t.close();
      usim.pin.tries = 3;
    }
  });

  it("keeps answering pcscd while a blocking PC/SC call holds this thread", async () => {
    // pcscd asks a card for its ATR at any moment, and some of the addon's calls block this
    // thread until pcscd answers (listing readers, disconnecting, a new or closed context). With
    // the card's socket served on this thread, that deadlocked within 1–2 s of such cycles; a
    // blocked thread cannot time itself out, so a watchdog process kills pcscd after 30 s, which
    // fails the blocked call instead of hanging the run.
    const watchdog =
      pcscd.pid === null
        ? undefined
        : spawn(
            process.execPath,
            ["-e", `setTimeout(() => { try { process.kill(${pcscd.pid}, "SIGKILL") } catch {} }, 30000)`],
            { stdio: "ignore" },
          );
    let cycles = 0;
    try {
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        expect((await listReaders()).map((r) => r.name)).toEqual([...VPCD_READERS]);
        usim.reset();
        const t = await open(VPCD_READERS[0]);
        try {
          const fcp = await t.transmit(selectFcp(0x3f00));
          expect(fcp[fcp.length - 2]).toBe(0x61);
        } finally {
          await t.close();
        }
        cycles++;
      }
    } finally {
      watchdog?.kill();
      usim.reset();
    }
    expect(cycles).toBeGreaterThan(100);
  });
});

// Each command starts a Node process with tsx: seconds apiece on a busy machine.
describe("the counter's command line over PC/SC", { timeout: 90_000 }, () => {
  let h: Harness;
  let agent: Session;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), "zhuxiao-card-cli-"));

  beforeAll(async () => {
    h = await Harness.start({ env: { ZHUXIAO_PROVIDER_SECRET: SECRET } });
    base = await h.listen();
    agent = await h.signInStaff("agent");
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("card info names the card and its PIN status", async () => {
    usim.reset();
    const r = await runCli(["card", "info", "--reader", VPCD_READERS[0]]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ICCID      ${ICCID} (check digit ok)`);
    expect(r.stdout).toContain("PIN        PIN enabled, 3 tries left");
    expect(r.stdout).toContain("phonebook  250 records");
  });

  it("card backup writes vCard 3.0/4.0 and SMS XML, and attaches them to the draft: backup step done", async () => {
    const created = await h.write(agent, "POST", "/api/v1/applications", { cardId: D.cleanSim.card });
    expect(created.statusCode, created.body).toBe(201);
    const appId = created.json().application.id as string;
    usim.reset();
    const out = join(dir, "backup");
    const r = await runCli(
      [
        "card",
        "backup",
        "--reader",
        VPCD_READERS[0],
        "--out",
        out,
        "--pin-stdin",
        "--attach",
        appId,
        "--api",
        base,
      ],
      { stdin: "1234\n", env: { ZHUXIAO_API_TOKEN: agent.token } },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("250 contacts, 24 messages (30 SMS records)");

    const v3 = parseVCards(readFileSync(join(out, "contacts.vcf"), "utf8"));
    const v4 = parseVCards(readFileSync(join(out, "contacts-v4.vcf"), "utf8"));
    expect(v3.versions).toEqual(["3.0"]);
    expect(v4.versions).toEqual(["4.0"]);
    expect(v3.contacts).toEqual(contacts);
    expect(v4.contacts).toEqual(contacts);
    const sms = parseSmsBackupXml(readFileSync(join(out, "sms.xml"), "utf8"));
    expect(sms.declaredCount).toBe(24);
    const key = (m: { address: string; body: string }) => `${m.address}|${m.body}`;
    for (const e of expectedMessages) {
      const got = sms.messages.find((m) => key(m) === key(e));
      expect(got, key(e)).toBeDefined();
      // A sent message has no time of its own on the SIM: the file carries the backup's time.
      expect({ ...got, date: e.date === null ? null : got?.date }).toEqual(e);
    }

    const app = await h.db
      .selectFrom("applications")
      .selectAll()
      .where("id", "=", appId)
      .executeTakeFirstOrThrow();
    expect(app.backupStatus).toBe("done");
    expect(app.backupNote).toBe("SIM backup: contacts.vcf (250 contacts), sms.xml (24 messages)");
    const docs = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/documents`,
      headers: agent.headers,
    });
    expect(
      (docs.json().items as Array<{ kind: string; contentType: string }>).map((d) => [d.kind, d.contentType]),
    ).toEqual([
      ["sim_backup_contacts", "text/vcard"],
      ["sim_backup_sms", "application/xml"],
    ]);
  });

  it("backup convert turns the card's files into the other vCard version and SMS JSON, and back", async () => {
    const out = join(dir, "backup");
    const a = await runCli(["backup", "convert", join(out, "contacts.vcf"), join(dir, "converted.vcf")]);
    expect(a.stderr).toBe("");
    expect(a.stdout).toContain("250 contacts");
    expect(parseVCards(readFileSync(join(dir, "converted.vcf"), "utf8"))).toMatchObject({
      versions: ["4.0"],
      contacts,
    });
    const b = await runCli(["backup", "convert", join(out, "sms.xml"), join(dir, "sms.json")]);
    expect(b.code).toBe(0);
    const c = await runCli(["backup", "convert", join(dir, "sms.json"), join(dir, "sms-again.xml")]);
    expect(c.code).toBe(0);
    const first = parseSmsBackupXml(readFileSync(join(out, "sms.xml"), "utf8")).messages;
    const again = parseSmsBackupXml(readFileSync(join(dir, "sms-again.xml"), "utf8")).messages;
    expect(again).toEqual(first);
    writeFileSync(join(dir, "junk.txt"), "hello");
    const bad = await runCli(["backup", "convert", join(dir, "junk.txt"), join(dir, "x.vcf")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("BACKUP_FORMAT_UNKNOWN");
  });

  it("card terminate refuses without the provider's secure channel, says why and what to do, and touches no card", async () => {
    const before = usim.log.length;
    const r = await runCli(["card", "terminate", "--reader", VPCD_READERS[0], "--confirm", ICCID]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("CARD_TERMINATION_UNAVAILABLE");
    expect(r.stderr).toContain("ADM");
    expect(r.stderr).toContain("cutting through the chip");
    expect(r.stderr).toContain("剪断芯片");
    expect(usim.log.length).toBe(before);
  });

  describe("eSIM deletion with proof", () => {
    let smdp: TestSmdp;
    beforeAll(async () => {
      smdp = await startTestSmdp({
        trustedKey: isdr.publicKey,
        operator: { baseUrl: base, providerCode: "demo-mobile", secret: SECRET },
        now: () => h.clock.now().getTime(),
      });
    });
    afterAll(() => smdp.close());

    async function completedEsimApplication(): Promise<string> {
      const holder = await h.signInHolder(D.cleanSim.phone);
      const e = await h.inject({
        method: "GET",
        url: `/api/v1/cards/${ESIM.card}/eligibility`,
        headers: holder.headers,
      });
      const unbinding = (e.json().bindings as Array<{ id: string }>).map((b) => ({
        bindingId: b.id,
        state: "unbound",
      }));
      const app = await h.submitted(holder, ESIM.card, {
        backup: { status: "done" },
        unbinding,
        balanceOption: "refund",
      });
      const approved = await h.write(agent, "POST", `/api/v1/applications/${app.id}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      await h.rt.worker.drain();
      const row = await h.db
        .selectFrom("applications")
        .select("status")
        .where("id", "=", app.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe("completed");
      return app.id;
    }

    it("esim profiles shows the EID and the profiles, from a logical channel", async () => {
      const r = await runCli(["esim", "profiles", "--reader", VPCD_READERS[1]]);
      expect(r.stderr).toBe("");
      expect(r.stdout.split("\n").slice(0, 3)).toEqual([
        `EID ${ESIM.eid}`,
        `${ESIM.iccid}\tenabled\toperational\tChina Mobile 中国移动 5G`,
        `${LOCKED_ICCID}\tdisabled\toperational\tOperator Locked`,
      ]);
    });

    it("esim delete disables and deletes the profile; the SM-DP+ gets the signed notification and closes the application", async () => {
      const appId = await completedEsimApplication();
      const r = await runCli(["esim", "delete", ESIM.iccid, "--reader", VPCD_READERS[1], "--smdp", smdp.url]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`profile ${ESIM.iccid} disabled and deleted`);

      expect(isdr.profiles.map((p) => p.iccid)).toEqual([LOCKED_ICCID]);
      expect(isdr.notifications).toEqual([]);
      expect(
        smdp.received.map((n) => [n.metadata.events, n.metadata.iccid, n.signatureValid, n.adminProtocol]),
      ).toEqual([
        [["disable"], ESIM.iccid, true, "gsma/rsp/v2.2.0"],
        [["delete"], ESIM.iccid, true, "gsma/rsp/v2.2.0"],
      ]);
      expect(smdp.received[1]?.webhook).toEqual({ status: 200, body: JSON.stringify({ applied: true }) });

      const app = await h.db
        .selectFrom("applications")
        .select("status")
        .where("id", "=", appId)
        .executeTakeFirstOrThrow();
      expect(app.status).toBe("closed");
      const card = await h.db
        .selectFrom("cards")
        .selectAll()
        .where("id", "=", ESIM.card)
        .executeTakeFirstOrThrow();
      expect(card.destroyedHow).toBe("profile_deleted");
      const audit = await h.db
        .selectFrom("auditEvents")
        .select("action")
        .where("entityId", "=", ESIM.card)
        .where("action", "=", "provider_event.esim.profile_deleted")
        .execute();
      expect(audit).toHaveLength(1);
    });

    it("refuses to delete a profile whose policy forbids it (ppr2), and leaves it in place", async () => {
      const r = await runCli([
        "esim",
        "delete",
        LOCKED_ICCID,
        "--reader",
        VPCD_READERS[1],
        "--smdp",
        smdp.url,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("ESIM_OPERATION_FAILED");
      expect(r.stderr).toContain("ppr2");
      expect(isdr.profiles.map((p) => p.iccid)).toEqual([LOCKED_ICCID]);
    });

    it("keeps a notification on the chip when the SM-DP+ is unreachable, and sends it on the next run", async () => {
      isdr.profiles.push({
        iccid: "89860011502408231291",
        aid: "a0000005591010ffffffff8900001200",
        state: "disabled",
        profileClass: 2,
        name: "Spare",
        serviceProvider: "China Mobile",
        ppr: { disable: false, delete: false },
        notify: { events: ["delete"], address: SMDP_ADDRESS },
      });
      const down = await runCli([
        "esim",
        "delete",
        "89860011502408231291",
        "--reader",
        VPCD_READERS[1],
        "--smdp",
        "http://127.0.0.1:9",
      ]);
      expect(down.code).toBe(3);
      expect(isdr.notifications.map((n) => n.iccid)).toEqual(["89860011502408231291"]);
      const again = await runCli([
        "esim",
        "delete",
        "89860011502408231291",
        "--reader",
        VPCD_READERS[1],
        "--smdp",
        smdp.url,
      ]);
      expect(again.code).toBe(0);
      expect(isdr.notifications).toEqual([]);
      // Not one of the provider's cards on our side: the server says so and changes nothing.
      expect(smdp.received.at(-1)?.webhook?.status).toBe(404);
    });
  });
});
