/**
 * Card tooling at the counter: `zhuxiao card readers|info|backup|terminate`, `zhuxiao esim
 * delete|profiles` and `zhuxiao backup convert`. They talk to a PC/SC reader on this machine
 * (the `smartcard` addon and pcscd), not to the database; `card backup --attach` hands the
 * backup to the server over its API.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { readBackup, writeBackup } from "../card/backup-convert.js";
import { BACKUP_FILE_NAMES, backupFiles } from "../card/backup-files.js";
import { CardError } from "../card/errors.js";
import { deleteEsimProfile } from "../card/esim-delete.js";
import { EuiccClient } from "../card/euicc.js";
import { listReaders, openPcscTransport } from "../card/pcsc-transport.js";
import { loadSecureChannel, type TerminationMethod, terminateCard } from "../card/secure-channel.js";
import { readCardInfo, readSimBackup } from "../card/sim-read.js";
import { CardChannel } from "../card/transport.js";
import { Uicc } from "../card/uicc.js";
import type { VCardVersion } from "../card/vcard-write.js";
import { checkEid, checkIccid, checkImsi, IDENTIFIER_WARNING_TEXTS } from "../domain/identifiers.js";

interface ReaderOptions {
  reader?: string;
  wait?: string;
  json?: boolean;
}

/** Exit code when the profile is gone but its notification could not be delivered yet. */
const EXIT_NOTIFICATION_PENDING = 3;

function out(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** A card error as the operator should read it: code, English, Chinese. */
function explain(err: unknown): never {
  if (err instanceof CardError) throw new Error(`${err.code}: ${err.message}\n${err.zh}`);
  throw err;
}

async function withChannel<T>(o: ReaderOptions, fn: (ch: CardChannel) => Promise<T>): Promise<T> {
  try {
    const transport = await openPcscTransport({ reader: o.reader, waitMs: Number(o.wait ?? 0) * 1000 });
    try {
      return await fn(new CardChannel(transport));
    } finally {
      await transport.close();
    }
  } catch (err) {
    explain(err);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function warningsOf(codes: readonly string[]): string {
  return codes
    .map((c) => IDENTIFIER_WARNING_TEXTS[c as keyof typeof IDENTIFIER_WARNING_TEXTS]?.en ?? c)
    .join("; ");
}

function readerOptions(cmd: Command): Command {
  return cmd
    .option("--reader <name>", "part of the reader's name (default: the first reader holding a card)")
    .option("--wait <seconds>", "wait this long for a reader and a card", "0");
}

export function registerCardCommands(program: Command): void {
  const card = program.command("card").description("read a SIM in a PC/SC reader: info, backup, termination");

  card
    .command("readers")
    .description("list PC/SC readers and whether each holds a card")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const readers = await listReaders().catch(explain);
      if (o.json) return out(JSON.stringify(readers, null, 2));
      if (!readers.length) return out("no readers");
      for (const r of readers) out(`${r.name}\t${r.cardPresent ? `card, ATR ${r.atr}` : "empty"}`);
    });

  readerOptions(card.command("info"))
    .description("ATR, ICCID, IMSI when readable without PIN, PIN status, phonebook size; sends no PIN")
    .option("--json", "print JSON")
    .action(async (o: ReaderOptions) => {
      const info = await withChannel(o, readCardInfo);
      const iccid = checkIccid(info.iccid);
      const imsi = info.imsi ? checkImsi(info.imsi) : null;
      if (o.json) return out(JSON.stringify({ ...info, iccidCheck: iccid, imsiCheck: imsi }, null, 2));
      out(`reader     ${info.reader}`);
      out(`ATR        ${info.atr}`);
      out(
        `ICCID      ${info.iccid}${iccid.ok ? (iccid.warnings.length ? ` (${warningsOf(iccid.warnings)})` : " (check digit ok)") : ` (${iccid.reason})`}`,
      );
      const op = imsi?.ok && imsi.operator ? ` (${imsi.operator.nameEn} ${imsi.operator.nameZh})` : "";
      out(`IMSI       ${info.imsi ? `${info.imsi}${op}` : "not readable without the PIN"}`);
      out(`PIN        ${info.pinText}`);
      out(
        `phonebook  ${info.phonebook ? `${info.phonebook.records} records (${info.phonebook.source})` : "none found"}`,
      );
    });

  readerOptions(card.command("backup"))
    .description(
      "read contacts and SMS off the SIM; write contacts.vcf (3.0), contacts-v4.vcf (4.0), sms.xml",
    )
    .requiredOption("--out <dir>", "directory for the backup files (created; files are readable by you only)")
    .option("--pin-stdin", "read the PIN from STDIN; it is never sent when only one try is left")
    .option("--attach <applicationId>", "attach the backup to this draft application on the server")
    .option("--api <url>", "server base URL for --attach (default: ZHUXIAO_API_URL or http://127.0.0.1:8080)")
    .option("--json", "print JSON")
    .action(async (o: ReaderOptions & { out: string; pinStdin?: boolean; attach?: string; api?: string }) => {
      const pin = o.pinStdin ? ((await readStdin()).split(/\r?\n/)[0]?.trim() ?? "") : null;
      const backupSet = randomUUID();
      const backup = await withChannel(o, (ch) => readSimBackup(ch, { pin }));
      const files = backupFiles(backup, { backupSet, backupDate: new Date() });
      mkdirSync(o.out, { recursive: true, mode: 0o700 });
      for (const f of files) writeFileSync(join(o.out, f.name), f.content, { mode: 0o600 });
      let attached: unknown = null;
      if (o.attach) attached = await attach(o.attach, o.api, backupSet, files);
      if (o.json) {
        return out(
          JSON.stringify(
            { dir: o.out, files: files.map((f) => f.name), ...summaryOf(backup), attached },
            null,
            2,
          ),
        );
      }
      out(
        `ICCID ${backup.iccid}: ${backup.contacts.length} contacts, ${backup.messages.length} messages (${backup.sms.used} SMS records)`,
      );
      for (const f of files) out(`wrote ${join(o.out, f.name)}`);
      for (const w of backup.warnings) out(`warning ${w.code} at ${w.where}: ${w.detail}`);
      if (o.attach) out(`attached to application ${o.attach}: backup step done`);
      out("Remind the holder: most SMS, and all 5G/IMS messages, live in the phone, not on the SIM.");
    });

  readerOptions(card.command("terminate"))
    .description("terminate the card for good through the provider's secure channel (refused without one)")
    .requiredOption("--confirm <iccid>", "the card's ICCID, typed again, to terminate nothing else")
    .option(
      "--method <method>",
      "terminate-card-usage (TS 102 222) or gp-set-status (GlobalPlatform)",
      "terminate-card-usage",
    )
    .option(
      "--secure-channel <module>",
      "ES module exporting createSecureChannel() (default: ZHUXIAO_SECURE_CHANNEL)",
    )
    .action(async (o: ReaderOptions & { confirm: string; method: string; secureChannel?: string }) => {
      if (o.method !== "terminate-card-usage" && o.method !== "gp-set-status") {
        throw new Error(`--method must be terminate-card-usage or gp-set-status, not ${o.method}`);
      }
      // Refuse before touching the card: without the provider's keys nothing here can work.
      const secure = await loadSecureChannel(o.secureChannel ?? process.env.ZHUXIAO_SECURE_CHANNEL).catch(
        explain,
      );
      if (!secure) explain(new CardError("CARD_TERMINATION_UNAVAILABLE"));
      const r = await withChannel(o, async (ch) => {
        const iccid = await new Uicc(ch).readIccid();
        return terminateCard(ch, secure, {
          method: o.method as TerminationMethod,
          iccid,
          confirm: o.confirm,
        });
      });
      out(`card terminated (${r.method}, ${r.sw}): it can no longer be used; destroy it physically as well`);
    });

  const esim = program.command("esim").description("eSIM profiles on an eUICC in a PC/SC reader");

  readerOptions(esim.command("profiles"))
    .description("the eUICC's EID, its profiles and pending notifications")
    .option("--json", "print JSON")
    .action(async (o: ReaderOptions) => {
      const r = await withChannel(o, async (ch) => {
        const euicc = await EuiccClient.open(ch);
        try {
          return {
            eid: await euicc.getEid(),
            profiles: await euicc.profiles(),
            notifications: await euicc.listNotifications(),
          };
        } finally {
          await euicc.close();
        }
      });
      if (o.json) return out(JSON.stringify(r, null, 2));
      const eid = checkEid(r.eid);
      out(`EID ${r.eid}${eid.ok ? "" : ` (${eid.reason})`}`);
      for (const p of r.profiles)
        out(`${p.iccid}\t${p.state}\t${p.profileClass ?? ""}\t${p.serviceProvider ?? ""} ${p.name ?? ""}`);
      for (const n of r.notifications)
        out(`notification #${n.seq} ${n.events.join(",")} ${n.iccid ?? ""} → ${n.address}`);
    });

  readerOptions(esim.command("delete <iccid>"))
    .description(
      "disable and delete an eSIM profile, send the deletion notification to the SM-DP+, remove it from the chip",
    )
    .option("--smdp <url>", "send notifications here instead of https://<address in the notification>")
    .option("--json", "print JSON")
    .action(async (iccidInput: string, o: ReaderOptions & { smdp?: string }) => {
      const checked = checkIccid(iccidInput);
      if (!checked.ok) throw new Error(`ICCID: ${checked.reason} / ${checked.reasonZh}`);
      const report = await withChannel(o, async (ch) => {
        const euicc = await EuiccClient.open(ch);
        try {
          return await deleteEsimProfile(euicc, checked.value, { baseUrl: o.smdp });
        } finally {
          await euicc.close();
        }
      });
      const pending = report.notifications.filter((n) => !n.removedFromChip);
      if (pending.length) process.exitCode = EXIT_NOTIFICATION_PENDING;
      if (o.json) return out(JSON.stringify(report, null, 2));
      out(`profile ${report.iccid} ${report.disabled ? "disabled and " : ""}deleted`);
      for (const n of report.notifications) {
        out(
          `notification #${n.seq} (${n.events.join(",")}) → ${n.url}: ${n.error ?? `HTTP ${n.status}, removed from the chip`}`,
        );
      }
      if (!report.notifications.some((n) => n.events.includes("delete") && n.removedFromChip)) {
        out(
          "no deletion notification reached the SM-DP+: the application stays open until the operator confirms",
        );
      }
      if (pending.length) out("run the same command again to resend what is still on the chip");
    });

  // `zhuxiao backup` (the database copy) belongs to the operations commands; convert joins it.
  const backup = program.commands.find((c) => c.name() === "backup") ?? program.command("backup");
  backup
    .command("convert <in> <out>")
    .description(
      "convert a backup: vCard 2.1/3.0 ↔ 4.0, SMS Backup & Restore XML ↔ JSON (by content and extension)",
    )
    .option("--vcard-version <v>", "3.0 or 4.0 for a .vcf output (default: the other one)")
    .action((input: string, output: string, o: { vcardVersion?: string }) => {
      if (o.vcardVersion && o.vcardVersion !== "3.0" && o.vcardVersion !== "4.0") {
        throw new Error("--vcard-version must be 3.0 or 4.0");
      }
      try {
        const doc = readBackup(readFileSync(input, "utf8"), input);
        const text = writeBackup(doc, output, {
          vcardVersion: o.vcardVersion as VCardVersion | undefined,
          backupSet: randomUUID(),
          backupDate: Date.now(),
        });
        writeFileSync(output, text, { mode: 0o600 });
        const what =
          doc.kind === "contacts" ? `${doc.contacts.length} contacts` : `${doc.messages.length} messages`;
        const skipped = doc.kind === "sms" && doc.mmsSkipped ? ` (${doc.mmsSkipped} MMS not converted)` : "";
        out(`${what}${skipped}: ${input} → ${output}`);
      } catch (err) {
        explain(err);
      }
    });
}

function summaryOf(b: Awaited<ReturnType<typeof readSimBackup>>) {
  return {
    iccid: b.iccid,
    imsi: b.imsi,
    msisdn: b.msisdn,
    contacts: b.contacts.length,
    messages: b.messages.length,
    phonebook: b.phonebook,
    sms: b.sms,
    warnings: b.warnings,
  };
}

/** Posts the backup to the server, which attaches it to the draft and marks the backup step done. */
async function attach(
  applicationId: string,
  api: string | undefined,
  backupSet: string,
  files: ReturnType<typeof backupFiles>,
): Promise<unknown> {
  const base = (api ?? process.env.ZHUXIAO_API_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  const token = process.env.ZHUXIAO_API_TOKEN;
  if (!token) throw new Error("--attach needs a staff session token in ZHUXIAO_API_TOKEN");
  const wanted = new Set<string>([BACKUP_FILE_NAMES.contacts, BACKUP_FILE_NAMES.sms]);
  const res = await fetch(`${base}/api/v1/applications/${encodeURIComponent(applicationId)}/sim-backup`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "idempotency-key": `sim-backup-${backupSet}`,
    },
    body: JSON.stringify({
      files: files.filter((f) => wanted.has(f.name)).map((f) => ({ name: f.name, content: f.content })),
    }),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`attaching the backup failed: HTTP ${res.status} ${body}`);
  return JSON.parse(body);
}
