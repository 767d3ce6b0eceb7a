/**
 * The printable receipt or certificate: one A4 page, Chinese and English side by side, with a QR
 * code that opens the verification page. The page is drawn from the signed payload, and the JWS
 * itself rides along in the PDF's document information (`/ZhuxiaoReceipt`), so the file alone is
 * enough to verify it offline (`zhuxiao receipt verify file.pdf`, or `pdfinfo -custom`).
 */
import { decodeProtectedHeader } from "jose";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { zonedParts } from "../domain/zoned-time.js";
import type { CjkFont } from "./fonts.js";
import { label, yuan } from "./labels.js";
import type { ReceiptPayload } from "./payload.js";
import { PDF_JWS_KEY, verifyUrl } from "./where-the-jws-goes.js";

export interface PdfOptions {
  /** A CJK font, or null to print English only with a notice. */
  font: CjkFont | null;
}

const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const COL = { zh: 48, zhW: 108, value: 162, valueW: 248, en: 418, enW: 129 };
const INK = "#1a1a1a";
const MUTED = "#5f6368";
const RULE = "#c8c8c8";
const ACCENT = "#9b1c1c";

function localTime(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  const p = zonedParts(new Date(iso), timeZone);
  return `${p.isoDate} ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

interface Row {
  zh: string;
  en: string;
  /** Lines of the value; a pair shows the Chinese line and the English one. */
  value: string[];
  mono?: boolean;
}

/** The table rows; without a CJK font, coded values are given in English only. */
function rowsOf(p: ReceiptPayload, cjk: boolean): Row[] {
  const tz = p.provider.timeZone;
  const a = p.application;
  const pair = (group: string, code: string | null) => {
    const [zh, en] = label(group, code);
    if (!cjk) return en;
    return zh === en ? zh : `${zh} / ${en}`;
  };
  const ids = Object.entries(p.card.identifiers).map(([k, v]) => `${pair("identifier", k)}: ${v}`);
  const rows: Row[] = [
    { zh: "申请编号", en: "Application number", value: [a.number] },
    {
      zh: "服务提供方",
      en: "Provider",
      value: cjk ? [p.provider.nameZh, p.provider.nameEn] : [p.provider.nameEn],
    },
    { zh: "卡片", en: "Card", value: [p.card.label, pair("kind", p.card.kind), ...ids] },
    {
      zh: "持卡人",
      en: "Holder",
      value: [p.holder.name, `${pair("idType", p.holder.idType)}: ${p.holder.idNumber}`],
    },
    { zh: "办理渠道", en: "Channel", value: [pair("channel", a.channel)] },
    { zh: "提交时间", en: "Submitted", value: [`${localTime(a.submittedAt, tz)} (${tz})`] },
    { zh: "注销时间", en: "Cancellation timing", value: [pair("timing", a.timing)] },
    { zh: "申请注销日期", en: "Requested date", value: [a.requestedDate ?? "—"] },
    { zh: "停止服务日期", en: "Service ends", value: [a.serviceEndDate ?? "—"] },
    { zh: "停止计费日期", en: "Billing ends", value: [a.billingEndDate ?? "—"] },
    { zh: "余额处理", en: "Balance", value: [pair("balanceOption", p.money.balanceOption)] },
    {
      zh: p.money.settled ? "已结算款项" : "预计款项",
      en: p.money.settled ? "Money settled" : "Money expected",
      value: p.money.items.length
        ? p.money.items.map((i) => `${pair("money", i.kind)}: ${yuan(i.amountFen)}`)
        : ["无 / None"],
    },
  ];
  if (p.outcome) {
    rows.push(
      { zh: "完成时间", en: "Completed", value: [`${localTime(a.completedAt, tz)} (${tz})`] },
      {
        zh: "卡片结果",
        en: "How the card ended",
        value: [
          `${pair("cardStatus", p.outcome.cardStatus)} ${localTime(p.outcome.cancelledAt, tz)}`,
          ...(p.outcome.numberStatus
            ? [
                `${pair("numberStatus", p.outcome.numberStatus)}${p.outcome.quarantineUntil ? ` → ${localTime(p.outcome.quarantineUntil, tz).slice(0, 10)}` : ""}`,
              ]
            : []),
        ],
      },
    );
  }
  rows.push(
    { zh: "签发时间", en: "Issued", value: [`${localTime(p.issuedAt, tz)} (${tz})`, p.id] },
    {
      zh: "审计链头",
      en: "Audit chain head",
      value: [`#${p.audit.seq}`, p.audit.hash.slice(0, 32), p.audit.hash.slice(32)],
      mono: true,
    },
  );
  return rows;
}

const STATEMENTS = {
  receipt: {
    zh: "本回执证明上述注销申请已被受理。处理期间卡片处于“注销中”状态，办理结果将以短信或邮件通知您。请妥善保存本回执：任何人都可以扫描二维码或在验证页面核验其真伪，也可离线核验。",
    en: "This receipt confirms that the cancellation application above has been accepted. While it is processed the card is being cancelled; you will be told of every change. Keep this receipt: anyone can check that it is genuine by scanning the QR code, at the verification page, or offline.",
  },
  certificate: {
    zh: "兹证明上述卡片已注销，相关款项已按上表结算。请销毁实体卡片（剪断芯片）或删除 eSIM 配置文件，并妥善保存本证明。任何人都可以扫描二维码或离线核验本证明的真伪。",
    en: "This certifies that the card above has been cancelled and its money settled as listed. Destroy the physical card (cut through the chip) or delete the eSIM profile, and keep this certificate. Anyone can check that it is genuine by scanning the QR code or offline.",
  },
} as const;

const TITLES = {
  receipt: { zh: "注销申请回执", en: "Receipt of Cancellation Application" },
  certificate: { zh: "注销证明", en: "Certificate of Cancellation" },
} as const;

/** Characters a standard PDF font can print; the rest become "?" in the English-only fallback. */
function latin(text: string): string {
  return text.replace(/[^\u0020-\u00ff\u2014\u2192]/g, "?");
}

export async function renderReceiptPdf(jws: string, p: ReceiptPayload, opts: PdfOptions): Promise<Buffer> {
  const cjk = opts.font !== null;
  const title = TITLES[p.kind];
  const doc = new PDFDocument({
    size: "A4",
    margin: PAGE.margin,
    info: {
      Title: cjk ? `${title.zh} ${title.en} ${p.application.number}` : `${title.en} ${p.application.number}`,
      Subject: `${p.kind} ${p.application.number}`,
      Author: p.issuer,
      Creator: "zhuxiao",
      Keywords: `zhuxiao ${p.kind} ${p.application.number}`,
      CreationDate: new Date(p.issuedAt),
    },
  });
  (doc.info as Record<string, unknown>)[PDF_JWS_KEY] = jws;
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  let mono = "Courier";
  if (opts.font) {
    doc.registerFont("body", opts.font.path, opts.font.face as string);
    if (opts.font.monoFace) {
      doc.registerFont("mono", opts.font.path, opts.font.monoFace);
      mono = "mono";
    }
  } else {
    doc.registerFont("body", "Helvetica");
  }
  const t = (s: string) => (cjk ? s : latin(s));
  doc.font("body").fillColor(INK);

  // Title band: Chinese left, English right.
  let y = PAGE.margin;
  doc.rect(0, 0, PAGE.width, 6).fill(ACCENT).fillColor(INK);
  if (cjk) doc.fontSize(22).text(title.zh, COL.zh, y, { width: 260 });
  doc.fontSize(cjk ? 15 : 20).text(title.en, cjk ? 290 : COL.zh, y + (cjk ? 5 : 0), {
    width: cjk ? PAGE.width - 290 - PAGE.margin : 400,
    align: cjk ? "right" : "left",
  });
  y += 34;
  doc
    .fontSize(10)
    .fillColor(MUTED)
    .text(cjk ? `${p.provider.nameZh} · ${p.provider.nameEn}` : p.provider.nameEn, COL.zh, y, { width: 300 })
    .text(`No. ${p.application.number}`, 300, y, { width: PAGE.width - 300 - PAGE.margin, align: "right" });
  y += 18;
  if (!cjk) {
    doc
      .fillColor(ACCENT)
      .fontSize(9)
      .text(
        "Chinese text omitted: no CJK font was found on the server (install fonts-wqy-microhei or set ZHUXIAO_CJK_FONT). The signed receipt inside this PDF is complete.",
        COL.zh,
        y,
        { width: PAGE.width - 2 * PAGE.margin },
      );
    y = doc.y + 6;
  }
  doc
    .moveTo(COL.zh, y)
    .lineTo(PAGE.width - PAGE.margin, y)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  y += 8;

  // Without Chinese labels the value column takes the left column's room.
  const col = cjk ? COL : { ...COL, value: COL.zh, valueW: COL.en - COL.zh - 10 };
  // Header row of the table.
  doc.fontSize(8.5).fillColor(MUTED);
  if (cjk) doc.text("项目", COL.zh, y, { width: COL.zhW });
  doc.text(cjk ? "内容 / Value" : "Value", col.value, y, { width: col.valueW });
  doc.text("Field", COL.en, y, { width: COL.enW, align: "right" });
  y += 14;

  for (const row of rowsOf(p, cjk)) {
    doc.fontSize(10);
    const valueFont = row.mono ? mono : "body";
    const valueText = row.value.map(t).join("\n");
    doc.font(valueFont).fontSize(row.mono ? 8 : 10);
    const hValue = doc.heightOfString(valueText, { width: col.valueW });
    doc.font("body").fontSize(10);
    const hZh = cjk ? doc.heightOfString(row.zh, { width: COL.zhW }) : 0;
    doc.fontSize(9);
    const hEn = doc.heightOfString(row.en, { width: COL.enW });
    const h = Math.max(hValue, hZh, hEn);
    doc.fillColor(INK).fontSize(10);
    if (cjk) doc.text(row.zh, COL.zh, y, { width: COL.zhW });
    doc
      .font(valueFont)
      .fontSize(row.mono ? 8 : 10)
      .text(valueText, col.value, y, { width: col.valueW });
    doc.font("body").fontSize(9).fillColor(MUTED).text(row.en, COL.en, y, { width: COL.enW, align: "right" });
    y += h + 5;
    doc
      .moveTo(COL.zh, y - 2.5)
      .lineTo(PAGE.width - PAGE.margin, y - 2.5)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
  }

  // The statement, side by side.
  y += 8;
  const statement = STATEMENTS[p.kind];
  const half = (PAGE.width - 2 * PAGE.margin - 20) / 2;
  doc.fillColor(INK).fontSize(9.5);
  if (cjk) {
    doc.text(statement.zh, COL.zh, y, { width: half, lineGap: 2 });
    const hz = doc.y;
    doc.text(statement.en, COL.zh + half + 20, y, { width: half, lineGap: 1 });
    y = Math.max(hz, doc.y) + 14;
  } else {
    doc.text(statement.en, COL.zh, y, { width: PAGE.width - 2 * PAGE.margin });
    y = doc.y + 14;
  }

  // The QR code and how to verify, at the foot of the page.
  const url = verifyUrl(p.issuer, jws);
  // Level L keeps the symbol coarse enough to scan from paper; the payload is ~1.5 kB.
  const qr = QRCode.create(url, { errorCorrectionLevel: "L" });
  const size = qr.modules.size;
  const quiet = 4;
  // A long certificate leaves less room at the foot: the code shrinks rather than spill onto a second page.
  const side = Math.max(140, Math.min(190, PAGE.height - 24 - y));
  const cell = side / (size + 2 * quiet);
  const qrX = COL.zh;
  const qrY = Math.max(y, PAGE.height - PAGE.margin - side - 10);
  doc.rect(qrX, qrY, side, side).fill("#ffffff");
  doc.fillColor("#000000");
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (qr.modules.get(r, c)) doc.rect(qrX + (c + quiet) * cell, qrY + (r + quiet) * cell, cell, cell);
    }
  }
  doc.fill("#000000");
  const textX = qrX + side + 18;
  const textW = PAGE.width - PAGE.margin - textX;
  let ty = qrY + 6;
  doc.fillColor(INK).fontSize(11);
  doc.text(cjk ? "扫码核验 · Scan to verify" : "Scan to verify", textX, ty, { width: textW });
  ty = doc.y + 6;
  doc.fontSize(8.5).fillColor(MUTED);
  const lines = [
    cjk ? "在线核验 / Online:" : "Online:",
    `${p.issuer.replace(/\/+$/, "")}/verify`,
    cjk ? "离线核验 / Offline:" : "Offline:",
    "zhuxiao receipt verify <this.pdf> --jwks jwks.json",
    `${p.issuer.replace(/\/+$/, "")}/.well-known/jwks.json`,
    cjk ? "签名算法 / Signature: Ed25519 (JWS EdDSA)" : "Signature: Ed25519 (JWS EdDSA)",
    `${cjk ? "密钥 / Key" : "Key"}: ${String(decodeProtectedHeader(jws).kid)}`,
  ];
  for (const line of lines) {
    doc.text(line, textX, ty, { width: textW });
    ty = doc.y + 2;
  }
  doc.end();
  return done;
}
