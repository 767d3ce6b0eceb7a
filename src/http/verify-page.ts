/**
 * The public verification page: static HTML and a separate script (the CSP allows scripts from
 * 'self' only). It reads the JWS from the URL fragment (`/verify#<jws>`, what the QR code holds;
 * a fragment never reaches server logs) or `?r=`, or takes a pasted JWS or a PDF, asks
 * POST /api/v1/receipts/verify, and shows the signed fields in Chinese and English.
 */

export const VERIFY_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>核验回执 · Verify a receipt — zhuxiao</title>
<style>
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f4; }
  main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h1 small { display: block; font-size: 1rem; color: #5f6368; font-weight: normal; }
  .card { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem; margin-top: 1rem; }
  textarea { width: 100%; box-sizing: border-box; min-height: 5rem; font-family: ui-monospace, monospace; font-size: .8rem; }
  button { margin-top: .5rem; padding: .5rem 1rem; font-size: 1rem; }
  .verdict { font-size: 1.2rem; font-weight: 600; padding: .75rem 1rem; border-radius: 6px; }
  .valid { background: #e6f4ea; color: #0d652d; } .invalid { background: #fce8e6; color: #a50e0e; }
  table { border-collapse: collapse; width: 100%; margin-top: .75rem; font-size: .95rem; }
  th, td { text-align: left; vertical-align: top; padding: .35rem .25rem; border-bottom: 1px solid #eee; }
  th { width: 40%; color: #5f6368; font-weight: normal; } .mono { font-family: ui-monospace, monospace; font-size: .8rem; word-break: break-all; }
  .note { color: #5f6368; font-size: .85rem; }
</style>
</head>
<body>
<main>
  <h1>核验回执或注销证明<small>Verify a receipt or certificate of cancellation</small></h1>
  <p class="note">签名由本服务核验；也可离线核验：<code>zhuxiao receipt verify 文件.pdf --jwks jwks.json</code>。<br>
  The signature is checked by this service; you can also check it offline: <code>zhuxiao receipt verify file.pdf --jwks jwks.json</code>
  (keys: <a href="/.well-known/jwks.json">/.well-known/jwks.json</a>).</p>
  <div id="result" class="card" hidden></div>
  <div class="card">
    <label for="jws">粘贴回执内容（JWS）· Paste the receipt (JWS)</label>
    <textarea id="jws" spellcheck="false"></textarea>
    <button id="check" type="button">核验 · Verify</button>
    <p><label for="pdf">或选择 PDF 文件 · Or choose the PDF file</label><br><input id="pdf" type="file" accept="application/pdf"></p>
  </div>
</main>
<script src="/verify.js" defer></script>
</body>
</html>
`;

export const VERIFY_JS = `"use strict";
(function () {
  var REASONS = {
    not_a_receipt: ["不是本服务签发的回执", "This is not a receipt issued by this service"],
    pdf_ambiguous: ["PDF 中含有多个不同的回执", "The PDF holds more than one different receipt"],
    malformed: ["格式不正确", "The receipt is malformed"],
    unsupported_algorithm: ["签名算法不受支持", "Unsupported signature algorithm"],
    unknown_key: ["签名密钥未知", "Signed with an unknown key"],
    bad_signature: ["签名不匹配：内容已被改动", "The signature does not match: the content was changed"],
    bad_payload: ["签名内容不是回执", "The signed content is not a receipt"]
  };
  var KINDS = { receipt: ["注销申请回执", "Receipt of cancellation application"], certificate: ["注销证明", "Certificate of cancellation"] };
  var result = document.getElementById("result");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function row(table, zh, en, value, mono) {
    var tr = el("tr");
    tr.appendChild(el("th", "", zh + " · " + en));
    tr.appendChild(el("td", mono ? "mono" : "", value == null ? "—" : String(value)));
    table.appendChild(tr);
  }
  function yuan(fen) { return "¥" + (fen / 100).toFixed(2); }
  function show(v) {
    result.hidden = false;
    result.textContent = "";
    if (!v.valid) {
      var r = REASONS[v.reason] || [v.reason, v.reason];
      result.appendChild(el("div", "verdict invalid", "✗ 无效 · Invalid — " + r[0] + " · " + r[1]));
      if (v.detail) result.appendChild(el("p", "note", v.detail));
      return;
    }
    var p = v.payload;
    var k = KINDS[p.kind] || [p.kind, p.kind];
    result.appendChild(el("div", "verdict valid", "✓ 有效 · Valid — " + k[0] + " · " + k[1]));
    result.appendChild(el("p", "note", "请将下列已签名内容与纸面核对。Compare these signed fields with the paper."));
    var t = el("table");
    row(t, "申请编号", "Application", p.application.number);
    row(t, "服务提供方", "Provider", p.provider.nameZh + " · " + p.provider.nameEn);
    row(t, "卡片", "Card", p.card.label + " (" + p.card.kind + ")");
    Object.keys(p.card.identifiers).forEach(function (key) { row(t, "标识", key, p.card.identifiers[key]); });
    row(t, "持卡人", "Holder", p.holder.name + " · " + p.holder.idNumber);
    row(t, "提交时间", "Submitted", p.application.submittedAt);
    row(t, "停止服务日期", "Service ends", p.application.serviceEndDate);
    if (p.application.completedAt) row(t, "完成时间", "Completed", p.application.completedAt);
    if (p.outcome) row(t, "卡片结果", "How the card ended", p.outcome.cardStatus + (p.outcome.numberStatus ? " · " + p.outcome.numberStatus : ""));
    p.money.items.forEach(function (i) { row(t, p.money.settled ? "已结算" : "预计", p.money.settled ? "Settled" : "Expected", i.kind + ": " + yuan(i.amountFen)); });
    row(t, "签发时间", "Issued", p.issuedAt);
    row(t, "签名密钥", "Key", v.kid, true);
    row(t, "审计链头", "Audit chain head", "#" + p.audit.seq + " " + p.audit.hash, true);
    row(t, "本服务存档", "On record here", v.onRecord ? "是 · yes" : "否 · no");
    result.appendChild(t);
  }
  function verify(body, type) {
    result.hidden = false;
    result.textContent = "核验中… Verifying…";
    fetch("/api/v1/receipts/verify", { method: "POST", headers: { "content-type": type }, body: body, credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(function (v) {
        if (typeof v.valid !== "boolean") throw new Error(v.title || "error");
        show(v);
      })
      .catch(function (e) { result.textContent = "无法核验 · Could not verify: " + e.message; });
  }
  document.getElementById("check").addEventListener("click", function () {
    var jws = document.getElementById("jws").value.trim();
    if (jws) verify(JSON.stringify({ jws: jws }), "application/json");
  });
  document.getElementById("pdf").addEventListener("change", function (e) {
    var f = e.target.files && e.target.files[0];
    if (f) verify(f, "application/pdf");
  });
  var fromUrl = location.hash.length > 1 ? location.hash.slice(1).replace(/^r=/, "") : new URLSearchParams(location.search).get("r");
  if (fromUrl) {
    document.getElementById("jws").value = fromUrl;
    verify(JSON.stringify({ jws: fromUrl }), "application/json");
  }
})();
`;
