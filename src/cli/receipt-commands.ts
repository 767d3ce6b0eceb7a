/**
 * Signing keys and receipts from the command line: rotate and list keys, export the key set,
 * verify a receipt offline (a PDF, a JWS or a verification URL; no server, no database), and
 * write an application's receipt or certificate as a PDF.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { SYSTEM_ACTOR } from "../app/context.js";
import { loadConfig } from "../config.js";
import { findApplicationByNumber } from "../db/applications-repository.js";
import { receiptPdf } from "../receipts/documents.js";
import { getReceipt } from "../receipts/get-receipt.js";
import {
  openSigningKeys,
  parseJwks,
  readPublicKeys,
  rotateSigningKey,
  signingKeyDir,
} from "../receipts/keys.js";
import { label } from "../receipts/labels.js";
import { RECEIPT_KINDS, type ReceiptKind } from "../receipts/payload.js";
import { verifyReceipt } from "../receipts/verify.js";
import { openRuntime } from "../runtime.js";
import { registerRotateData } from "./commands.js";

const REASONS: Record<string, string> = {
  not_a_receipt: "not a zhuxiao receipt / 不是本服务签发的回执",
  pdf_ambiguous: "the PDF holds more than one different receipt / PDF 中含有多个不同的回执",
  malformed: "malformed / 格式不正确",
  unsupported_algorithm: "unsupported signature algorithm / 签名算法不受支持",
  unknown_key: "signed with a key not in the key set / 签名密钥未知",
  bad_signature: "the signature does not match: the content was changed / 签名不匹配，内容已被改动",
  bad_payload: "the signed content is not a receipt / 签名内容不是回执",
};

function keyOptions() {
  const config = loadConfig();
  return {
    config,
    keys: {
      dir: signingKeyDir(config.dataDir),
      envKey: config.signingKey,
      envKeyFile: config.signingKeyFile,
    },
  };
}

export function registerReceiptCommands(program: Command): void {
  const keys = program.command("keys").description("signing keys (receipts) and personal-data keys");
  registerRotateData(keys);
  keys
    .command("rotate")
    .description("make a new signing key active; old public keys stay in the key set so old receipts verify")
    .action(() => {
      const r = rotateSigningKey(keyOptions().keys);
      process.stdout.write(`active signing key: ${r.kid}${r.previous ? ` (retired ${r.previous})` : ""}\n`);
    });
  keys
    .command("list")
    .description("every key in the key set, which one signs, and where it comes from")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => {
      const list = openSigningKeys(keyOptions().keys).list();
      process.stdout.write(
        o.json
          ? `${JSON.stringify(list, null, 2)}\n`
          : `${list.map((k) => `${k.active ? "*" : " "} ${k.kid}  ${k.source}  ${k.canSign ? "signs" : "verify only"}  ${k.createdAt}`).join("\n")}\n`,
      );
    });
  keys
    .command("jwks")
    .description("print the public key set (as served at /.well-known/jwks.json), for offline verification")
    .action(() => {
      process.stdout.write(`${JSON.stringify(openSigningKeys(keyOptions().keys).jwks(), null, 2)}\n`);
    });

  const receipt = program.command("receipt").description("receipts (回执) and certificates (注销证明)");
  receipt
    .command("verify <file>")
    .description(
      "verify a receipt offline: a PDF, a file with the JWS, or the QR code's URL; exits 2 when invalid",
    )
    .option("--jwks <file>", "the key set to trust (default: the public keys in the data directory)")
    .option("--json", "print JSON")
    .action(async (file: string, o: { jwks?: string; json?: boolean }) => {
      const jwks = o.jwks ? parseJwks(readFileSync(o.jwks, "utf8")) : readPublicKeys(keyOptions().keys.dir);
      if (jwks.keys.length === 0)
        throw new Error("no public keys: pass --jwks <file> (from /.well-known/jwks.json)");
      const { jws: _jws, ...v } = await verifyReceipt(readFileSync(file), jwks);
      process.exitCode = v.valid ? 0 : 2;
      if (o.json) {
        process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
        return;
      }
      if (!v.valid) {
        process.stdout.write(`INVALID / 无效: ${REASONS[v.reason] ?? v.reason}\n  ${v.detail}\n`);
        return;
      }
      const p = v.payload;
      const [kindZh, kindEn] =
        p.kind === "receipt" ? ["注销申请回执", "receipt"] : ["注销证明", "certificate"];
      const lines = [
        `VALID / 有效: ${kindEn} / ${kindZh}, signed by key ${v.kid}`,
        `  application / 申请编号: ${p.application.number}`,
        `  provider / 服务提供方: ${p.provider.nameZh} / ${p.provider.nameEn}`,
        `  card / 卡片: ${p.card.label} (${label("kind", p.card.kind).join(" / ")}) ${Object.values(p.card.identifiers).join(" ")}`,
        `  holder / 持卡人: ${p.holder.name} ${p.holder.idNumber}`,
        `  submitted / 提交: ${p.application.submittedAt ?? "-"}${p.application.completedAt ? `  completed / 完成: ${p.application.completedAt}` : ""}`,
        `  issued / 签发: ${p.issuedAt} by ${p.issuer}`,
        `  audit chain head / 审计链头: #${p.audit.seq} ${p.audit.hash}`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
  receipt
    .command("show <applicationNumber>")
    .description("write an application's receipt or certificate as a PDF")
    .option("--kind <kind>", "receipt or certificate", "receipt")
    .option("--out <file>", "where to write the PDF (default: <number>-<kind>.pdf)")
    .action(async (number: string, o: { kind: string; out?: string }) => {
      if (!(RECEIPT_KINDS as readonly string[]).includes(o.kind))
        throw new Error("--kind is receipt or certificate");
      const rt = await openRuntime(loadConfig(), { startWorker: false });
      try {
        const app = await findApplicationByNumber(rt.deps.db, number.toUpperCase());
        if (!app) throw new Error(`no application ${number}`);
        const { receipt: row } = await getReceipt(rt.deps, SYSTEM_ACTOR, {
          applicationId: app.id,
          kind: o.kind as ReceiptKind,
        });
        const { pdf, filename } = await receiptPdf(rt.deps, row);
        const out = o.out ?? filename;
        writeFileSync(out, pdf);
        process.stdout.write(`wrote ${out} (${pdf.length} bytes)\n`);
      } finally {
        await rt.close();
      }
    });
}
