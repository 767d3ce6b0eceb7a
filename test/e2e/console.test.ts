/**
 * The staff back-office console in a real browser against the real server: an agent filters the
 * queue, approves an application and watches the pipeline complete it; asks the holder for
 * information and sees the answer; a supervisor's dashboard draws its charts. Screenshots at
 * 1280 px go to test-results/screenshots/console-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleSignIn, type HolderApi, holderApi, shootConsole } from "./console-support.js";
import { Portal, UI_TIMEOUT } from "./support/portal.js";

const ZHANG_WEI = "13812348000";
const LIU_YANG = "18666042719";

let portal: Portal;
let zhang: HolderApi;
let liu: HolderApi;

beforeAll(async () => {
  portal = await Portal.start();
  zhang = await holderApi(portal, ZHANG_WEI);
  liu = await holderApi(portal, LIU_YANG);
});

afterAll(async () => {
  await portal?.stop();
});

interface Created {
  application: { id: string; number: string; status: string };
}

describe("back-office console", () => {
  it("an agent signs in, filters the queue, approves an application and sees it complete", async () => {
    const filed = (await zhang.call("POST", "/applications", {
      cardId: "card_demo_debit_clean",
      submit: true,
      backup: { status: "waived", note: "nothing to keep" },
    })) as unknown as Created;
    expect(filed.application.status).toBe("submitted");
    const { number, id } = filed.application;

    const { context, page } = await portal.newPage(1280);
    await consoleSignIn(portal, page, "agent");
    await page.getByRole("heading", { name: "工作队列" }).waitFor();
    await page.locator(`[data-testid="queue-number"]:has-text("${number}")`).waitFor();
    await shootConsole(page, "queue");

    // Filter: smart cards only, and the application's number.
    await page.locator('.ant-form-item:has(label:text-is("卡类别")) .ant-select').click();
    await page.locator('.ant-select-dropdown [title="银行卡、交通卡等智能卡"]').click();
    await page.getByLabel("受理编号或卡片").fill(number);
    await page.getByTestId("apply-filters").click();
    await page.waitForURL(/family=smart_card/);
    await expect.poll(() => page.getByTestId("queue-number").count(), { timeout: UI_TIMEOUT }).toBe(1);
    // The issuer by name (GET /providers), in the row and among the provider filter's choices.
    await page.locator("tr", { hasText: number }).getByText("示例银行").waitFor();
    await page.locator('.ant-form-item:has(label:text-is("发卡方")) .ant-select').click();
    await page.locator('.ant-select-dropdown [title="示例交通卡"]').waitFor();
    await page.keyboard.press("Escape");
    await shootConsole(page, "queue-filtered");

    await page.getByTestId("queue-number").first().click();
    await page.waitForURL(new RegExp(`/console/applications/${id}`));
    await page.getByTestId("application-number").filter({ hasText: number }).waitFor();
    // Agents see the holder's phone masked, as the API gives it.
    await expect.poll(() => page.getByTestId("holder-phone").textContent()).toMatch(/\*/);
    await page.getByTestId("eligibility").waitFor();
    await shootConsole(page, "review");

    await page.locator('[data-action="approve"]').click();
    await page.getByRole("button", { name: "确认" }).click();
    // The pipeline runs in the server's worker; the page polls until it is done.
    await page.locator('[data-testid="review"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.locator('[data-step-status="done"]').count(), { timeout: UI_TIMEOUT })
      .toBeGreaterThan(2);
    await page.getByRole("link", { name: "注销证明（PDF）" }).waitFor();
    await shootConsole(page, "approved-completed");

    // Counter mode: identify 张伟 in person by his ID card; his cards are listed, masked.
    await page.getByRole("menuitem", { name: "柜台办理" }).click();
    await page.waitForURL(/\/console\/counter/);
    await page.getByLabel("证件号码").fill("110105198503120012");
    await page.getByRole("button", { name: /^查\s*询$/ }).click();
    await page.getByRole("heading", { name: "名下的卡" }).waitFor();
    await page.getByRole("button", { name: "办理注销" }).first().click();
    await page.getByRole("dialog").getByText("卡片处置").waitFor();
    await shootConsole(page, "counter");
    await context.close();
  });

  it("an agent requests information, the holder answers through the API, the agent sees the answer", async () => {
    const filed = (await liu.call("POST", "/applications", {
      cardId: "card_demo_credit_primary",
      submit: true,
      backup: { status: "waived", note: "nothing to keep" },
    })) as unknown as Created;
    const { id } = filed.application;

    const { context, page } = await portal.newPage(1280);
    await consoleSignIn(portal, page, "agent");
    await page.goto(`/console/applications/${id}`);
    await page.locator('[data-action="request_info"]').click();
    const message = "请补充说明附属卡是否一并注销";
    await page.getByLabel("要告诉持卡人的话").fill(message);
    await page.getByRole("dialog").getByRole("button", { name: "请持卡人补充信息" }).click();
    await page.locator('[data-testid="review"][data-status="needs_info"]').waitFor();
    await expect.poll(() => page.getByTestId("info-request").textContent()).toBe(message);
    await page.getByText("持卡人尚未答复").waitFor();

    const answer = "附属卡一并注销，谢谢";
    await liu.call("POST", `/applications/${id}/supply_info`, { response: answer });
    // The review page polls; the answer appears without a reload.
    await page.getByTestId("info-response").filter({ hasText: answer }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="review"][data-status="under_review"]').waitFor();
    await shootConsole(page, "info-answered");
    await context.close();
  });

  it("a supervisor's dashboard draws its charts with data", async () => {
    const { context, page } = await portal.newPage(1280);
    await consoleSignIn(portal, page, "supervisor");
    await page.getByRole("menuitem", { name: "主管看板" }).click();
    await page.waitForURL(/\/console\/dashboard/);
    await page.locator('[data-testid="chart-backlog"] svg').first().waitFor();
    // The server's clock runs ahead (to an open service window): take the range up to two days on.
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/console/dashboard?from=${day(-30)}&to=${day(2)}`);
    for (const chart of ["chart-backlog", "chart-per-day", "chart-load"]) {
      await page.locator(`[data-testid="${chart}"] svg`).first().waitFor();
    }
    // A figure shows: the backlog bars carry their counts as labels, the KPIs are filled in.
    await expect
      .poll(() => page.locator('[data-testid="chart-backlog"] svg text').count())
      .toBeGreaterThan(3);
    await expect
      .poll(() => page.locator('[data-testid="chart-backlog"] svg path').count())
      .toBeGreaterThan(3);
    const median = await page.getByTestId("kpi-median").textContent();
    expect(median).toMatch(/\d|—/);
    await shootConsole(page, "dashboard");
    await context.close();
  });

  it("counter mode: identify the holder, file a returned transit card, print the receipt, close it with the deposit refunded", async () => {
    const { context, page } = await portal.newPage(1280);
    await consoleSignIn(portal, page, "agent");
    await page.getByRole("menuitem", { name: "柜台办理" }).click();
    await page.getByLabel("证件号码").fill("110105198503120012");
    await page.getByRole("button", { name: /^查\s*询$/ }).click();
    const transit = page.locator(".ant-list-item", { hasText: "交通卡 尾号4953" });
    await transit.getByRole("button", { name: "办理注销" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("卡片处置").waitFor();
    // The card is handed back: its deposit is shown beside the choice.
    await dialog.getByRole("radio", { name: /已交回/ }).check();
    expect(await dialog.getByText(/押金 ¥20\.00/).count()).toBe(1);
    await dialog.locator('.ant-form-item:has(label:text-is("余额处理")) .ant-select').click();
    await page.locator(".ant-select-dropdown .ant-select-item-option").first().click();
    await dialog.getByRole("checkbox", { name: "已告知持卡人备份数据" }).check();
    await dialog.getByRole("button", { name: "提交申请" }).click();
    const created = page.locator(".ant-result-success");
    await created.getByText(/已受理，受理编号 ZX/).waitFor();

    // The receipt prints from the server as a PDF, with the staff session.
    const receipt = await created.getByRole("link", { name: "打印受理回执" }).getAttribute("href");
    const pdf = await context.request.get(receipt!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toContain("application/pdf");
    await shootConsole(page, "counter-filed");
    // The holder's cards are listed again: the transit card is no longer simply in use.
    await expect.poll(() => transit.textContent(), { timeout: UI_TIMEOUT }).not.toContain("正常使用");

    // The next holder at the same counter, without reloading: their cards, not the last one's.
    // (Once the filing dialog is gone and the look-up that refreshed the cards has finished: on a
    // busy machine either can still be under way here.)
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    const lookupButton = page.locator("#holder-lookup button[type=submit]:not(.ant-btn-loading)");
    await lookupButton.waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel("证件号码").fill("310104199007210022");
    await lookupButton.click();
    await page.locator(".ant-list-item", { hasText: "尾号5801" }).waitFor();
    expect(await page.locator('[data-error-code="IDEMPOTENCY_KEY_REUSED"]').count()).toBe(0);

    await created.getByRole("link", { name: "打开申请" }).click();
    await page.waitForURL(/\/console\/applications\//);
    await page.locator('[data-action="approve"]').click();
    await page.getByRole("button", { name: "确认" }).click();
    await page.locator('[data-testid="review"][data-status="completed"]').waitFor({ timeout: 60_000 });

    // Closing at the counter: the card was returned, so the deposit goes back, once. The dialog
    // starts from what the counter recorded when it filed the application.
    await page.locator('[data-action="close"]').click();
    const close = page.getByRole("dialog");
    await close.locator(".ant-select").getByText("已交回（退还押金）").waitFor();
    await close.getByRole("button", { name: "确认" }).click();
    await page.locator('[data-testid="review"][data-status="closed"]').waitFor();
    await page.getByTestId("processing").getByText("deposit_refund").waitFor();
    // Who got the money and how the card ended, in words rather than the stored codes.
    await page.getByTestId("processing").getByText("持卡人（柜台当面退还）").waitFor();
    await page
      .getByTestId("timeline")
      .locator('[data-event="application.close"]')
      .getByText("已交回（退还押金）")
      .waitFor();
    await shootConsole(page, "counter-closed");
    await context.close();
  });

  it("counter mode: the SIM backup read at the counter is attached, and the backup step is done", async () => {
    const { context, page } = await portal.newPage(1280);
    await consoleSignIn(portal, page, "agent");
    await page.getByRole("menuitem", { name: "柜台办理" }).click();
    await page.getByLabel("证件号码").fill("110105198503120012");
    await page.getByRole("button", { name: /^查\s*询$/ }).click();
    const sim = page.locator(".ant-list-item", { hasText: "手机卡 尾号8000" });
    await sim.getByRole("button", { name: "办理注销" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("读卡器导出的SIM卡备份").waitFor();
    // What `zhuxiao card backup --out <dir>` writes: contacts as vCard, messages as SMS XML.
    await dialog.locator('input[type="file"]').setInputFiles([
      {
        name: "contacts.vcf",
        mimeType: "text/vcard",
        buffer: Buffer.from(
          "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nN:;李雷;;;\r\nTEL;TYPE=CELL:13900001111\r\nEND:VCARD\r\n",
        ),
      },
      {
        name: "sms.xml",
        mimeType: "application/xml",
        buffer: Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?>\n<smses count="1"><sms protocol="0" address="10086" date="1700000000000" type="1" body="您好" read="1" status="-1" locked="0" /></smses>',
        ),
      },
    ]);
    await dialog.getByText("sms.xml").waitFor();
    // With the backup attached there is nothing to tick about telling the holder to back up.
    expect(await dialog.getByRole("checkbox", { name: "已告知持卡人备份数据" }).count()).toBe(0);
    await dialog.locator('.ant-form-item:has(label:text-is("余额处理")) .ant-select').click();
    await page.locator(".ant-select-dropdown .ant-select-item-option").first().click();
    await dialog.getByRole("checkbox", { name: /已与持卡人逐项确认解除绑定/ }).check();
    await dialog.getByRole("button", { name: "提交申请" }).click();
    const created = page.locator(".ant-result-success").filter({ hasText: /受理编号 ZX/ });
    await created.waitFor();
    const href = await created.getByRole("link", { name: "打开申请" }).getAttribute("href");
    const id = decodeURIComponent(href!.split("/").pop()!);

    const agent = await portal.staff("agent");
    const { application } = (await agent.call("GET", `/applications/${id}`)) as {
      application: { status: string; backup?: { status: string; note?: string } };
    };
    expect(application.status).toBe("submitted");
    expect(application.backup?.status).toBe("done");
    expect(application.backup?.note).toMatch(/contacts\.vcf \(1 contacts\).*sms\.xml \(1 messages\)/);
    const docs = (await agent.call("GET", `/applications/${id}/documents`)) as {
      items: Array<{ kind: string }>;
    };
    expect(docs.items.map((d) => d.kind).sort()).toEqual(["sim_backup_contacts", "sim_backup_sms"]);
    await shootConsole(page, "counter-sim-backup");
    await context.close();
  });
});

describe("back-office console, with a provider system failing", () => {
  let failing: Portal;

  beforeAll(async () => {
    // The CRM's "block the card" fails its first five calls: the pipeline gives up after five
    // tries and hands the application to staff; the sixth (the manual retry) goes through.
    failing = await Portal.start({ env: { ZHUXIAO_SIM_FAIL_FIRST: "blockCard=5" } });
  });

  afterAll(async () => {
    await failing?.stop();
  });

  it("a supervisor retries a failed application by hand and it completes, nothing done twice", async () => {
    const holder = await holderApi(failing, ZHANG_WEI);
    const filed = (await holder.call("POST", "/applications", {
      cardId: "card_demo_debit_clean",
      submit: true,
      backup: { status: "waived", note: "nothing to keep" },
    })) as unknown as Created;
    const { id } = filed.application;
    const supervisor = await failing.staff("supervisor");
    await supervisor.call("POST", `/applications/${id}/approve`, {});

    const { context, page } = await failing.newPage(1280);
    await consoleSignIn(failing, page, "supervisor");
    await page.goto(`/console/applications/${id}`);
    // Five tries with backoff (1 + 2 + 4 + 8 s and jitter), then failed; the page polls.
    await page.locator('[data-testid="review"][data-status="failed"]').waitFor({ timeout: 90_000 });
    await page
      .getByText(/blockCard: simulated outage/)
      .first()
      .waitFor();
    await expect.poll(() => page.locator('[data-step-status="failed"]').count()).toBeGreaterThan(0);
    await shootConsole(page, "failed");

    await page.locator('[data-action="manual-retry"]').click();
    const retried = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith(`/applications/${id}/retry`),
    );
    await page.getByRole("button", { name: "确认" }).click();
    // The retry is accepted (a refusal would say why here rather than as a timeout below).
    const answer = await retried;
    expect(answer.status(), await answer.text()).toBe(200);
    await page.locator('[data-testid="review"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-step-status="failed"]').count()).toBe(0);
    await shootConsole(page, "retried-completed");
    await context.close();
  });
});
