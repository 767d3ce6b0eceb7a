import { describe, expect, it } from "vitest";
import { renderMessage, renderSubject, TEMPLATE_NAMES, type TemplateName } from "./templates.js";

const PARAMS = {
  number: "ZX2611240A7K3Q",
  card: "手机卡 尾号8000",
  due: "2026-12-01",
  message: "请补充身份证复印件",
  reason: "documents_unreadable",
  code: "123456",
  minutes: "5",
  days: "61",
  amount: "¥58.00",
  cancelOn: "2026-12-24",
  msisdn: "138****8000",
  until: "2027-02-23",
  time: "2026-11-26 09:30",
  branch: "示例移动 人民广场营业厅",
};

/** The events product.md says the holder is told about, by SMS and e-mail. */
const EVENTS: TemplateName[] = [
  "submitted",
  "info_requested",
  "approved",
  "rejected",
  "completed",
  "quarantine_ending",
  "appointment_reminder",
];

describe("notification templates", () => {
  it("has every event in Chinese and English, for SMS and with an e-mail subject", () => {
    for (const t of EVENTS) {
      const zh = renderMessage(t, "zh-CN", PARAMS);
      const en = renderMessage(t, "en", PARAMS);
      expect(zh, t).toMatch(/^【注销服务】/);
      expect(zh, t).toMatch(/[\u4e00-\u9fff]/);
      expect(en, t).toMatch(/^\[zhuxiao\] /);
      expect(en, t).not.toContain("undefined");
      expect(renderSubject(t, "zh-CN", PARAMS), t).toContain(PARAMS.number);
      expect(renderSubject(t, "en", PARAMS), t).toMatch(/^\[zhuxiao\] /);
    }
  });

  it("leaves no parameter unfilled in any template", () => {
    for (const t of TEMPLATE_NAMES) {
      for (const lang of ["zh-CN", "en"] as const) {
        expect(renderMessage(t, lang, PARAMS), `${t} ${lang}`).not.toContain("undefined");
      }
    }
  });

  it("never e-mails a sign-in code", () => {
    expect(renderSubject("otp_signin", "zh-CN", PARAMS)).toBeNull();
    expect(renderSubject("otp_lookup", "en", PARAMS)).toBeNull();
  });

  it("explains a rejection reason in the holder's language", () => {
    expect(renderMessage("rejected", "zh-CN", PARAMS)).toContain("材料无法辨认");
    expect(renderMessage("rejected", "en", PARAMS)).toContain("documents unreadable");
  });
});
