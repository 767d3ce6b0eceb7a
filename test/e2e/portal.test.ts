/**
 * The cardholder portal in a real browser against the real server: what a holder sees and does,
 * from signing in to a closed application. Screenshots at 375 px and 1280 px go to
 * test-results/screenshots/ for review.
 */
import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TINY_PNG } from "../support/harness.js";
import { Portal, shoot, signIn, UI_TIMEOUT } from "./support/portal.js";

const ZHANG_WEI = "13812348000";
const LI_NA = "13916625801";
const LIU_YANG = "18666042719";
const WANG_XIAOMING = "19857121608";
const CHEN_JING = "13808868888";

let portal: Portal;
/** The application the clean SIM journey filed, for the lookup test. */
const filed: { number?: string } = {};

beforeAll(async () => {
  portal = await Portal.start();
});

afterAll(async () => {
  await portal?.stop();
});

/** The text as the user sees it (Playwright's innerText: rendered, without visually hidden parts). */
async function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
  return locator.innerText();
}

function card(page: Page, id: string) {
  return page.locator(`[data-card-id="${id}"]`);
}

async function stepTitle(page: Page): Promise<string> {
  return (await seen(page.locator("#step-title"))).replace(/\s+/g, " ").trim();
}

describe("cardholder portal", () => {
  it("signs in with the SMS code from the outbox and explains a card blocked by arrears", async () => {
    const { context, page } = await portal.newPage(375);
    await page.goto("/");
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("heading", { name: "登录" }).waitFor();
    await shoot(page, "01-sign-in");

    // A malformed number is caught before anything is sent.
    await page.getByLabel("手机号码").fill("12345");
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByText("请输入正确的 11 位中国大陆手机号码").waitFor();

    await page.getByLabel("手机号码").fill(LI_NA);
    const before = portal.messages().length;
    await page.getByRole("button", { name: "获取验证码" }).click();
    // The resend cooldown is shown on the button, and the hint says where the code went.
    await page.getByRole("button", { name: /秒后可重发|重新获取/ }).waitFor();
    await page.getByText("验证码已发送至 139 **** 5801").waitFor();
    const code = await portal.codeFor(LI_NA, before);

    // A wrong code is explained, in Chinese, with what to do.
    await page.getByLabel("短信验证码").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: /^登录$/ }).click();
    const wrong = page.locator('[data-error-code="OTP_INVALID"]');
    await wrong.waitFor();
    expect(await seen(wrong)).toContain("验证码错误或已过期");
    await shoot(page, "02-sign-in-wrong-code");

    await page.getByLabel("短信验证码").fill(code);
    await page.getByRole("button", { name: /^登录$/ }).click();
    await page.waitForURL(/\/cards$/);

    const arrears = card(page, "card_demo_sim_arrears");
    await arrears.waitFor();
    expect(await seen(arrears.locator("[data-standing]"))).toContain("暂不能注销");
    const finding = arrears.locator('[data-finding="ARREARS"]');
    expect(await seen(finding)).toMatch(/欠费.*¥58\.20/s);
    expect(await seen(finding)).toContain("再重新检查");
    // It cannot be selected for a batch either.
    expect(await arrears.getByRole("checkbox").count()).toBe(0);
    await shoot(page, "03-cards-blocked");

    await arrears.getByRole("link", { name: "查看原因和办理方式" }).click();
    await page.getByText("这张卡暂时不能注销").waitFor();
    expect(await stepTitle(page)).toContain("联系运营商");
    expect(await seen(page.locator('#journey-panel [data-finding="ARREARS"]'))).toContain("¥58.20");
    // The steps that need a clear card stay locked, and so does "continue".
    expect(await page.getByRole("button", { name: "继续", exact: true }).isDisabled()).toBe(true);
    await shoot(page, "04-journey-blocked");
    await context.close();
  });

  it("walks a clean SIM card's whole journey, submits once, and lands on the existing application when submitting again", async () => {
    const { context, page } = await portal.newPage(1280);
    await signIn(portal, page, ZHANG_WEI);
    const sim = card(page, "card_demo_sim_clean");
    expect(await seen(sim.locator("[data-standing]"))).toContain("可在线注销");
    await shoot(page, "05-cards-ready");
    await sim.getByRole("link", { name: "开始注销" }).click();

    // 1 — backup: the transactions download and the holder's confirmation.
    expect(await stepTitle(page)).toContain("备份数据");
    const download = page.getByRole("link", { name: "下载交易记录" });
    expect(await download.getAttribute("href")).toBe(
      "/api/v1/cards/card_demo_sim_clean/backup/transactions.csv",
    );
    await page.getByRole("radio", { name: "我已保存需要的数据" }).check();
    await shoot(page, "06-journey-backup");
    await page.getByRole("button", { name: "保存并继续" }).click();

    // 2 — unbinding: tick four services, skip the fifth with a reason.
    await page.getByText("已处理 0 / 5").waitFor();
    expect(await stepTitle(page)).toContain("解绑服务");
    const items = page.locator("[data-binding]");
    expect(await items.count()).toBe(5);
    for (let i = 0; i < 4; i++) await items.nth(i).locator("label", { hasText: "已解绑" }).click();
    await items.nth(4).locator("label", { hasText: "跳过" }).click();
    await page.getByRole("button", { name: "保存并继续" }).click();
    await page.getByText("请填写跳过的原因").waitFor();
    await items.nth(4).getByRole("textbox").fill("这个账户已经注销了");
    await shoot(page, "07-journey-unbind");
    await page.getByRole("button", { name: "保存并继续" }).click();

    // 3 — contact: nothing blocks; the balance and the gifted credit are explained.
    await page.getByText("没有任何限制，可以在线办理。").waitFor();
    expect(await seen(page.locator('[data-finding="GIFTED_BALANCE_FORFEITED"]'))).toContain("¥20.00");
    await shoot(page, "08-journey-contact");
    await page.getByRole("button", { name: "继续", exact: true }).click();

    // 4 — submit: the review says the balance is not settled yet and leads there.
    await page.locator('[data-check="balance"][data-ok="false"]').waitFor();
    await page.locator('[data-check="balance"]').getByRole("button", { name: "去处理" }).click();

    // 5 — balance: transfer, with the target number checked.
    expect(await stepTitle(page)).toContain("结清余额");
    await page.getByText("¥36.50").first().waitFor();
    await page.getByRole("radio", { name: /转入其他手机号/ }).check();
    await page.getByLabel("转入的手机号码").fill("1380013");
    await page.getByRole("button", { name: "保存并返回提交" }).click();
    await page.getByText("请输入正确的 11 位中国大陆手机号码").waitFor();
    await page.getByLabel("转入的手机号码").fill(ZHANG_WEI);
    await page.getByRole("button", { name: "保存并返回提交" }).click();
    await page.getByText("不能转入正在注销的这个号码").waitFor();
    await page.getByLabel("转入的手机号码").fill("13900001111");
    await shoot(page, "09-journey-balance");
    await page.getByRole("button", { name: "保存并返回提交" }).click();

    // Review: every check passes once the irreversibility is acknowledged.
    await page.locator('[data-check="balance"][data-ok="true"]').waitFor();
    for (const c of ["eligible", "backup", "unbind", "balance", "documents"])
      await page.locator(`[data-check="${c}"][data-ok="true"]`).waitFor();
    const submit = page.getByRole("button", { name: "提交注销申请" });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByRole("checkbox", { name: /我了解：注销后此号码将停止服务/ }).check();
    await shoot(page, "10-journey-review");

    // A second tab on the same review, as if the holder had opened it twice.
    const other = await context.newPage();
    await other.goto(page.url());
    await other.getByRole("checkbox", { name: /我了解/ }).check();

    // A double click files once; the receipt number is on screen at once.
    await submit.dblclick();
    const receipt = page.getByTestId("receipt-number");
    await receipt.waitFor();
    const number = (await seen(receipt)).trim();
    expect(number).toMatch(/^ZX[0-9A-Z]{8,}$/);
    filed.number = number;
    await page.getByText("申请已提交", { exact: true }).waitFor();
    await page.locator('[data-event="application.submit"]').first().waitFor();
    expect(await page.locator('[data-event="application.submit"]').count()).toBe(1);
    expect(await seen(page.getByTestId("waiting-for"))).toContain("等待工作人员审核");
    expect(await seen(page.getByTestId("due-at"))).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    await shoot(page, "11-receipt");

    // The stale tab submits again and lands on the same application, told it exists.
    await other.getByRole("button", { name: "提交注销申请" }).click();
    await other.getByText("这张卡已有注销申请").waitFor();
    expect((await seen(other.getByTestId("application-number"))).trim()).toBe(number);
    // Going back to the card's journey also leads to it.
    await other.goto("/cards/card_demo_sim_clean");
    await other.getByText("这张卡已有注销申请").waitFor();
    expect((await seen(other.getByTestId("application-number"))).trim()).toBe(number);
    await other.close();

    // "My cards" shows the holder's own application as progress, with a link to it, not as a blocker.
    const list = await context.newPage();
    await list.goto("/cards");
    const filedSim = card(list, "card_demo_sim_clean");
    await filedSim.locator('[data-standing="in_progress"]').waitFor();
    expect(await seen(filedSim)).toContain(number);
    expect(await filedSim.locator('[data-finding="APPLICATION_OPEN"]').count()).toBe(0);
    await filedSim.getByRole("link", { name: "查看进度" }).click();
    await list.waitForURL(/\/applications\//);
    expect((await seen(list.getByTestId("application-number"))).trim()).toBe(number);
    await list.close();

    // Staff ask for information; the holder answers in place.
    const staff = await portal.staff();
    const appId = page.url().split("/applications/")[1]!;
    await staff.call("POST", `/applications/${appId}/start_review`, {});
    await staff.call("POST", `/applications/${appId}/request_info`, {
      message: "请说明余额转入的号码是否为本人使用。",
    });
    await page.reload();
    const request = page.getByRole("region", { name: "工作人员需要您补充信息" });
    await request.getByText("请说明余额转入的号码是否为本人使用。").waitFor();
    await page.getByLabel("您的回复").fill("是我本人的另一个号码。");
    await shoot(page, "12-info-request");
    await page.getByRole("button", { name: "提交回复" }).click();
    await page.locator('[data-status="under_review"]').waitFor();

    // Approved and processed by the provider's systems; the holder destroys the card and declares it.
    await staff.call("POST", `/applications/${appId}/approve`, {});
    await page.reload();
    await page.getByText("最后一步：销毁卡片").waitFor({ timeout: 30_000 });
    await shoot(page, "13-destroy");
    const finish = page.getByRole("button", { name: "确认并完成" });
    expect(await finish.isDisabled()).toBe(true);
    await page.getByRole("checkbox", { name: /我确认已按上述方式销毁或交回这张卡/ }).check();
    await finish.click();
    await page.getByText("注销已全部完成").waitFor();
    await page.locator('[data-event="application.close"]').waitFor();
    // Messages appear as what the holder was told, never as the notifier's own records.
    expect(await seen(page.locator(".zx-timeline"))).toContain("已通过短信通知您");
    expect(await seen(page.locator(".zx-timeline"))).not.toMatch(/notification\.|info_requested/);

    // Proof to keep: the certificate and the receipt as PDFs, each checkable on the public page.
    const certificate = page.locator('[data-proof="certificate"]');
    await certificate.waitFor();
    await page.locator('[data-proof="receipt"]').waitFor();
    const [pdf] = await Promise.all([
      page.waitForEvent("download"),
      certificate.getByRole("link", { name: "下载注销证明（PDF）" }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = readFileSync((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const verify = await certificate.locator("[data-verify]").getAttribute("href");
    expect(verify).toMatch(/^\/verify#[\w-]+\.[\w-]+\.[\w-]+$/);
    const checked = await page.evaluate(async (jws) => {
      const r = await fetch("/api/v1/receipts/verify", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jws }),
      });
      return (await r.json()) as { valid: boolean; payload: { kind: string } };
    }, verify!.slice("/verify#".length));
    expect(checked).toMatchObject({ valid: true, payload: { kind: "certificate" } });
    await shoot(page, "14-closed");
    await context.close();
  });

  it("withdraws a submitted application after confirming, retrying a dropped request with the same key", async () => {
    const { context, page } = await portal.newPage(375);
    await signIn(portal, page, ZHANG_WEI);
    await card(page, "card_demo_debit_clean").getByRole("link", { name: "开始注销" }).click();
    await page.getByText("第 1 步，共 5 步").waitFor();
    await page.getByRole("radio", { name: /我不需要备份/ }).check();
    await page.getByLabel("不需要备份的原因").fill("这张卡很少使用，没有需要保留的记录");
    await page.getByRole("button", { name: "保存并继续" }).click();
    await page.getByText("没有任何限制，可以在线办理。").waitFor();
    // A bank card's provider is its issuer, not an operator.
    expect(await stepTitle(page)).toContain("联系发卡机构");
    await page.getByRole("button", { name: "继续", exact: true }).click();
    await page.getByRole("checkbox", { name: /这张卡将永久停用/ }).check();
    await page.getByRole("button", { name: "提交注销申请" }).click();
    await page.getByTestId("receipt-number").waitFor();

    // The first withdraw request is lost on the way; the portal tries again with the same key.
    const keys: string[] = [];
    let dropped = false;
    await page.route("**/api/v1/applications/*/withdraw", async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      if (!dropped) {
        dropped = true;
        await route.abort("failed");
      } else {
        await route.continue();
      }
    });
    await page.getByRole("button", { name: "撤回申请" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("撤回后，这份申请将终止").waitFor();
    await shoot(page, "15-withdraw-confirm");
    await dialog.getByLabel("撤回原因（选填）").fill("暂时还要用这张卡");
    await dialog.getByRole("button", { name: "确认撤回" }).click();
    await page.getByText("您已撤回这份申请，卡片将继续正常使用。").waitFor();
    expect(keys.length).toBe(2);
    expect(keys[0]).toBe(keys[1]);
    await page.locator('[data-event="application.withdraw"]').waitFor();
    expect(await page.getByRole("button", { name: "撤回申请" }).count()).toBe(0);
    await shoot(page, "16-withdrawn");
    await context.close();
  });

  it("uploads a required photo, checked by content, with a preview", async () => {
    const { context, page } = await portal.newPage(375);
    await signIn(portal, page, WANG_XIAOMING);
    await card(page, "card_demo_transit_online").getByRole("link", { name: "开始注销" }).click();
    await page.getByRole("radio", { name: "我已保存需要的数据" }).check();
    await page.getByRole("button", { name: "保存并继续" }).click();
    await page.getByRole("button", { name: "继续", exact: true }).click();
    await page.locator('[data-check="documents"][data-ok="false"]').waitFor();
    const input = page.locator('input[type=file][data-kind="card_photo"]');
    await input.setInputFiles({
      name: "card.png",
      mimeType: "image/png",
      buffer: Buffer.from("not really a picture"),
    });
    await page.getByText("无法识别此文件").waitFor();
    await input.setInputFiles({ name: "card.png", mimeType: "image/png", buffer: TINY_PNG });
    await page.getByRole("img", { name: "已上传的卡片正面照片" }).waitFor();
    await page.locator('[data-check="documents"][data-ok="true"]').waitFor();
    await shoot(page, "17-documents");
    await context.close();
  });

  it("cancels a primary credit card with its supplementary card in one batch, supplementary first", async () => {
    const { context, page } = await portal.newPage(1280);
    await signIn(portal, page, LIU_YANG);
    await card(page, "card_demo_credit_primary").getByRole("checkbox").check();
    await page.getByText("将自动加入（需先注销）：附属卡 尾号0430").waitFor();
    await shoot(page, "18-batch-select");
    await page.getByRole("button", { name: "一起注销" }).click();
    await page.waitForURL(/\/batches\//);

    const items = page.locator("[data-position]");
    await items.first().waitFor();
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).getAttribute("data-card-id")).toBe("card_demo_credit_supplementary");
    expect(await items.nth(1).getAttribute("data-card-id")).toBe("card_demo_credit_primary");
    expect(await seen(items.nth(0))).toContain("附属卡：需在主卡“信用卡 尾号0356”之前注销");

    for (let i = 0; i < 2; i++) {
      const item = items.nth(i);
      await item.getByRole("radio", { name: "我已保存需要的数据" }).check();
      await item.getByRole("button", { name: "保存", exact: true }).click();
      await item.getByText("已确认完成备份").waitFor();
    }
    await page.getByRole("checkbox", { name: /我已核对以上 2 张卡/ }).check();
    await shoot(page, "19-batch-ready");
    await page.getByRole("button", { name: "提交 2 份申请" }).click();
    await page.getByText("已提交 2 份申请").waitFor();
    for (let i = 0; i < 2; i++) await items.nth(i).locator('[data-status="submitted"]').waitFor();
    await shoot(page, "20-batch-submitted");

    // Filed in that order: the supplementary card's application was submitted first.
    const apps = await page.evaluate(async () => {
      const r = await fetch("/api/v1/applications");
      return (
        (await r.json()) as { items: Array<{ cardId: string; submittedAt: string; batchPosition: number }> }
      ).items;
    });
    const sup = apps.find((a) => a.cardId === "card_demo_credit_supplementary")!;
    const pri = apps.find((a) => a.cardId === "card_demo_credit_primary")!;
    expect(sup.batchPosition).toBeLessThan(pri.batchPosition);
    expect(sup.submittedAt <= pri.submittedAt).toBe(true);
    await context.close();
  });

  it("switches to English, keeps the choice, and saves it for the holder's messages", async () => {
    const { context, page } = await portal.newPage(375);
    await signIn(portal, page, LI_NA);
    await page.getByRole("button", { name: /Switch to English/ }).click();
    await page.getByRole("heading", { name: "My cards and numbers" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    const arrears = card(page, "card_demo_sim_arrears");
    expect(await seen(arrears.locator("[data-standing]"))).toContain("Cannot cancel yet");
    expect(await seen(arrears.locator('[data-finding="ARREARS"]'))).toMatch(/arrears.*¥58\.20/is);
    await shoot(page, "21-cards-english");
    await arrears.getByRole("link", { name: "See why and what to do" }).click();
    await page.getByText("This card cannot be cancelled yet").waitFor();
    await page.locator('#journey-panel [data-finding="ARREARS"]').waitFor();
    await shoot(page, "22-journey-english");
    await page.goBack();

    await page.reload();
    await page.getByRole("heading", { name: "My cards and numbers" }).waitFor();
    await expect
      .poll(
        () =>
          page.evaluate(
            async () => ((await (await fetch("/api/v1/me")).json()) as { language: string }).language,
          ),
        { timeout: UI_TIMEOUT },
      )
      .toBe("en");

    // Errors come in English too.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Mobile number").fill(LI_NA);
    const before = portal.messages().length;
    await page.getByRole("button", { name: "Send code" }).click();
    const code = await portal.codeFor(LI_NA, before);
    await page.getByLabel("SMS code").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: /^Sign in$/ }).click();
    await page.getByText("The code is wrong or has expired").waitFor();
    await shoot(page, "23-sign-in-english-error");
    await page.getByRole("button", { name: /切换为中文/ }).click();
    await page.getByRole("heading", { name: "登录" }).waitFor();
    await context.close();
  });

  it("shows a cancelled card's end instead of a journey, and restores its quarantined number", async () => {
    const { context, page } = await portal.newPage(375);
    await signIn(portal, page, CHEN_JING);
    const old = card(page, "card_demo_sim_cancelled");
    expect(await seen(old.locator("[data-standing]"))).toContain("已注销");
    await old.getByRole("link", { name: "查看注销证明或恢复号码" }).click();

    // The end of the journey: every step done, nothing offered again.
    await page.getByTestId("card-cancelled").waitFor();
    await page.getByText("这张卡已注销").waitFor();
    expect(await seen(page.getByTestId("card-cancelled"))).toContain("ZX2610150DEMO1");
    expect(await page.locator("#journey-panel").count()).toBe(0);
    expect(await page.getByRole("button", { name: /继续|提交注销申请/ }).count()).toBe(0);
    expect(await page.getByText("这张卡暂时不能注销").count()).toBe(0);
    // Cancelled before receipts were issued: no certificate to download, and it says how to get one.
    await page.getByText("这份申请没有电子注销证明").waitFor();
    await shoot(page, "25-cancelled-card");

    await page.getByRole("button", { name: "申请恢复号码" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("原 SIM 卡已作废").waitFor();
    await shoot(page, "26-restore-confirm");
    await dialog.getByRole("button", { name: "确认恢复" }).click();
    await page.getByTestId("number-restored").waitFor();
    expect(await seen(page.getByTestId("number-restored"))).toContain("138 **** 6674");
    expect(await page.getByRole("button", { name: "申请恢复号码" }).count()).toBe(0);
    await shoot(page, "27-number-restored");

    await page.getByRole("link", { name: "返回我的卡" }).click();
    await card(page, "card_demo_sim_cancelled").getByText("号码已恢复给您").waitFor();
    await context.close();
  });

  it("looks up progress without signing in", async () => {
    expect(filed.number).toBeDefined();
    const { context, page } = await portal.newPage(375);
    await page.goto("/lookup");
    await page.getByLabel("受理编号").fill(filed.number!);
    await page.getByLabel("手机号码").fill(ZHANG_WEI);
    const before = portal.messages().length;
    await page.getByRole("button", { name: "获取验证码" }).click();
    const code = await portal.codeFor(ZHANG_WEI, before, "otp_lookup");
    await page.getByLabel("短信验证码").fill(code);
    await page.getByRole("button", { name: "查询" }).click();
    await page.getByTestId("lookup-number").waitFor();
    expect((await seen(page.getByTestId("lookup-number"))).trim()).toBe(filed.number);
    await page.locator('[data-status="closed"]').waitFor();
    await page.locator('[data-event="application.submit"]').waitFor();
    await shoot(page, "24-lookup");
    await context.close();
  });
});
