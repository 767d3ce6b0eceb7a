/**
 * Reading a full SIM — 250 contacts through EF.PBR and 30 EF.SMS records — over the real PC/SC
 * path (smartcard addon → libpcsclite → pcscd → vsmartcard vpcd → virtual USIM on 127.0.0.1),
 * against the 3 s budget of the card-tooling issue. For orientation it also measures the same
 * read with no reader at all (the decoding cost, a floor), and a sample of APDUs with the
 * virtual card answering vpcd the plain way (what vpcd's 40 ms Nagle/delayed-ACK stall costs).
 *
 *   npx tsx bench/card-read.ts [--rounds 7] [--naiveSample 40]
 *
 * Needs pcscd, libpcsclite-dev and vsmartcard-vpcd (Debian) and root to start pcscd, or a
 * running pcscd with the vpcd readers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { readRecordCommand, SELECT_BY_FID, selectCommand } from "../src/card/apdu.js";
import { openPcscTransport } from "../src/card/pcsc-transport.js";
import { readSimBackup } from "../src/card/sim-read.js";
import { CardChannel } from "../src/card/transport.js";
import { directTransport } from "../test/card/virtual/direct-transport.js";
import { startPcscd } from "../test/card/virtual/pcscd.js";
import { fixtureContacts, SMS_SPECS } from "../test/card/virtual/sim-fixtures.js";
import { buildUsim } from "../test/card/virtual/usim-builder.js";
import { VPCD_PORTS, VPCD_READERS, VpcdCard } from "../test/card/virtual/vpcd.js";

const BUDGET_MS = 3000;
const ROOT = fileURLToPath(new URL("../", import.meta.url));

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const rounds = option("rounds", 7);
const naiveSample = option("naiveSample", 40);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

const contacts = fixtureContacts(250);
const card = () =>
  buildUsim({
    iccid: "89860011102300154616",
    imsi: "460001234567890",
    msisdn: "+8613812348000",
    contacts,
    sms: SMS_SPECS,
  });

// The floor: the same read with the virtual card called directly.
const direct: number[] = [];
let apdus = 0;
for (let r = 0; r < rounds; r++) {
  const ch = new CardChannel(directTransport(card()), { log: true });
  const t = performance.now();
  const b = await readSimBackup(ch, { pin: "1234" });
  direct.push(performance.now() - t);
  apdus = ch.log?.length ?? 0;
  if (b.contacts.length !== 250 || b.sms.used !== 30) throw new Error("the direct read is incomplete");
}

const pcscd = await startPcscd();
const usim = card();
const inserted = await VpcdCard.insert(usim, VPCD_PORTS[0]);
const visibleStart = performance.now();
const pcsc: number[] = [];
let cardVisibleMs = 0;
try {
  for (let r = 0; r < rounds; r++) {
    usim.reset();
    const transport = await openPcscTransport({ reader: VPCD_READERS[0], waitMs: 10_000 });
    if (r === 0) cardVisibleMs = performance.now() - visibleStart;
    const t = performance.now();
    const b = await readSimBackup(new CardChannel(transport), { pin: "1234" }).finally(() =>
      transport.close(),
    );
    pcsc.push(performance.now() - t);
    if (b.contacts.length !== 250 || b.messages.length !== 24)
      throw new Error("the PC/SC read is incomplete");
  }
} finally {
  await inserted.remove();
}

// A sample of READ RECORDs with the plain vpcd exchange, to show what the prompt ACK saves.
const plainCard = card();
plainCard.pin.enabled = false;
const plain = await VpcdCard.insert(plainCard, VPCD_PORTS[1], { promptAck: false });
let naivePerApduMs = 0;
try {
  const transport = await openPcscTransport({ reader: VPCD_READERS[1], waitMs: 10_000 });
  const ch = new CardChannel(transport);
  for (const fid of [0x3f00, 0x7f10, 0x6f3c])
    await ch.send(selectCommand(SELECT_BY_FID, Uint8Array.of(fid >> 8, fid & 0xff)));
  const t = performance.now();
  for (let i = 0; i < naiveSample; i++) await ch.send(readRecordCommand((i % 30) + 1, 176));
  naivePerApduMs = (performance.now() - t) / naiveSample;
  await transport.close();
} finally {
  await plain.remove();
  await pcscd.stop();
}

const pcscMedian = median(pcsc);
const result = {
  benchmark: "card-read",
  at: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    os: `${process.platform} ${release()}`,
  },
  settings: {
    path: "smartcard 3.7.0 (N-API) → libpcsclite → pcscd → vsmartcard vpcd → virtual USIM on 127.0.0.1",
    contacts: 250,
    smsRecords: 30,
    messagesAfterJoining: 24,
    apdusPerRead: apdus,
    rounds,
    pcscdStartedHere: pcscd.startedHere,
  },
  budgetMs: BUDGET_MS,
  pcsc: {
    medianMs: pcscMedian,
    bestMs: Math.min(...pcsc),
    worstMs: Math.max(...pcsc),
    perApduMs: pcscMedian / apdus,
    ratioToBudget: pcscMedian / BUDGET_MS,
  },
  directNoReader: { medianMs: median(direct), ratioOfPcsc: median(direct) / pcscMedian },
  startup: { pcscdReadyMs: pcscd.startMs, cardVisibleMs },
  plainVpcdExchange: {
    sampleApdus: naiveSample,
    perApduMs: naivePerApduMs,
    projectedFullReadMs: naivePerApduMs * apdus,
    note: "vpcd sends length and payload in two writes without TCP_NODELAY; the payload waits for a delayed ACK",
  },
};
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/card-read.json`, `${JSON.stringify(result, null, 2)}\n`);

const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
process.stdout.write(
  [
    `full SIM read over PC/SC (250 contacts, 30 SMS records, ${apdus} APDUs), ${rounds} rounds on ${result.machine.cores} cores:`,
    `  median ${f(pcscMedian)} ms (best ${f(Math.min(...pcsc))}, worst ${f(Math.max(...pcsc))}), ${f(pcscMedian / apdus)} ms per APDU`,
    `  ratio to the ${BUDGET_MS} ms budget: ${(pcscMedian / BUDGET_MS).toFixed(3)}`,
    `  same read without a reader: ${f(median(direct))} ms (${((median(direct) / pcscMedian) * 100).toFixed(0)} % of the PC/SC time)`,
    `  pcscd ready in ${pcscd.startMs} ms; card visible to PC/SC ${f(cardVisibleMs)} ms after insertion`,
    `  plain vpcd exchange: ${f(naivePerApduMs)} ms per APDU, a full read would take ${f((naivePerApduMs * apdus) / 1000)} s`,
    "wrote bench/results/card-read.json",
    "",
  ].join("\n"),
);
