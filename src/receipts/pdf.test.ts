import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { findCjkFont } from "./fonts.js";
import { signReceipt } from "./jws.js";
import { openSigningKeys, type SigningKeys } from "./keys.js";
import { renderReceiptPdf } from "./pdf.js";
import { extractJwsFromPdf } from "./pdf-extract.js";
import { samplePayload } from "./test-fixtures.js";
import { verifyReceipt } from "./verify.js";
import { PDF_JWS_KEY, verifyUrl } from "./where-the-jws-goes.js";

/** Rendered pages land here for a person to look at (gitignored). */
const REVIEW_DIR = "test-results/receipts";

function pdfText(pdf: Buffer, dir: string, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { timeout: 20_000 }).toString("utf8");
}

function renderPage(pdf: Buffer, dir: string, name: string): Buffer {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  mkdirSync(REVIEW_DIR, { recursive: true });
  execFileSync("pdftoppm", ["-png", "-r", "110", "-singlefile", file, join(REVIEW_DIR, name)], {
    timeout: 30_000,
  });
  return readFileSync(join(REVIEW_DIR, `${name}.png`));
}

async function plainPdf(info: Record<string, string>): Promise<Buffer> {
  const doc = new PDFDocument();
  Object.assign(doc.info, info);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on("end", () => r(Buffer.concat(chunks))));
  doc.text("hello");
  doc.end();
  return done;
}

describe("the printable receipt", () => {
  let dir: string;
  let keys: SigningKeys;
  const font = findCjkFont(undefined);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-pdf-"));
    keys = openSigningKeys({ dir: join(dir, "keys") });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has a CJK font on this machine (.ci/run installs fonts-wqy-microhei)", () => {
    expect(font?.path).toMatch(/\.tt[cf]$/);
  });

  it("prints the receipt's fields in Chinese and English, and carries the JWS", async () => {
    const payload = samplePayload("receipt");
    const { jws } = await signReceipt(keys, payload);
    const pdf = await renderReceiptPdf(jws, payload, { font });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfText(pdf, dir, "receipt");
    for (const s of [
      "注销申请回执",
      "Receipt of Cancellation Application",
      "申请编号",
      "Application number",
      "ZX2611240A7K3Q",
      "示例移动",
      "Demo Mobile",
      "持卡人",
      "Holder",
      "张*",
      "110105********0012",
      "138****8000",
      "可退余额 / Refundable balance: ¥36.50",
      "提交时间",
      "2026-11-24 10:00 (Asia/Shanghai)",
      "扫码核验",
      "Scan to verify",
    ]) {
      expect(text, s).toContain(s);
    }
    expect(extractJwsFromPdf(pdf)).toEqual({ ok: true, jws });
    expect(await verifyReceipt(pdf, keys.jwks())).toMatchObject({ valid: true, payload });
    const png = renderPage(pdf, dir, "receipt-page1");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("prints the certificate with how the card ended and the money settled", async () => {
    const payload = samplePayload("certificate");
    const { jws } = await signReceipt(keys, payload);
    const pdf = await renderReceiptPdf(jws, payload, { font });
    const text = pdfText(pdf, dir, "certificate");
    for (const s of [
      "注销证明",
      "Certificate of Cancellation",
      "已结算款项",
      "Money settled",
      "退款 / Refund: ¥36.50",
      "已注销 / Cancelled",
      "How the card ended",
      "冷冻期 / In quarantine",
      "2027-02-23",
    ]) {
      expect(text, s).toContain(s);
    }
    renderPage(pdf, dir, "certificate-page1");
  });

  it("rejects a PDF whose embedded payload was edited", async () => {
    const payload = samplePayload("certificate");
    const { jws } = await signReceipt(keys, payload);
    const pdf = await renderReceiptPdf(jws, payload, { font });
    const [h, p, s] = jws.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(p, "base64url").toString());
    forged.money.items[1].amountFen = 365_000;
    const forgedJws = `${h}.${Buffer.from(canonicalJson(forged)).toString("base64url")}.${s}`;
    const tampered = Buffer.from(pdf.toString("latin1").replace(jws, forgedJws), "latin1");
    expect(extractJwsFromPdf(tampered)).toEqual({ ok: true, jws: forgedJws });
    expect(await verifyReceipt(tampered, keys.jwks())).toMatchObject({
      valid: false,
      reason: "bad_signature",
    });
  });

  it("refuses a PDF with two different receipts, and a PDF with none", async () => {
    const a = await signReceipt(keys, samplePayload("receipt"));
    const b = await signReceipt(keys, samplePayload("certificate"));
    const pdf = await renderReceiptPdf(a.jws, samplePayload("receipt"), { font });
    // An incremental update appends a second information dictionary.
    const appended = Buffer.concat([
      pdf,
      Buffer.from(`\n99 0 obj\n<< /${PDF_JWS_KEY} (${b.jws}) >>\nendobj\n`),
    ]);
    expect(await verifyReceipt(appended, keys.jwks())).toMatchObject({
      valid: false,
      reason: "pdf_ambiguous",
    });
    const other = await plainPdf({ Title: "not a receipt" });
    expect(await verifyReceipt(other, keys.jwks())).toMatchObject({ valid: false, reason: "not_a_receipt" });
  });

  it("falls back to English only, saying so, when no CJK font exists", async () => {
    expect(findCjkFont("none")).toBeNull();
    const payload = samplePayload("receipt");
    const { jws } = await signReceipt(keys, payload);
    const pdf = await renderReceiptPdf(jws, payload, { font: null });
    const text = pdfText(pdf, dir, "fallback");
    expect(text).toContain("Chinese text omitted: no CJK font was found");
    expect(text).toContain("Receipt of Cancellation Application");
    expect(text).toContain("ZX2611240A7K3Q");
    expect(text).not.toContain("注销申请回执");
    expect(await verifyReceipt(pdf, keys.jwks())).toMatchObject({ valid: true });
    renderPage(pdf, dir, "receipt-fallback-page1");
  });

  it("points the QR code at the verification page with the JWS in the fragment", () => {
    expect(verifyUrl("https://zx.example/", "a.b.c")).toBe("https://zx.example/verify#a.b.c");
  });
});
