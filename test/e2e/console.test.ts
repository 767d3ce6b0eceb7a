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
});
