/**
 * Booking a counter visit in a real browser against the real server (docs/branches.md): a holder
 * signs in, opens the booking page, sees the heat map of predicted waiting and the recommended
 * quiet times, narrows them to today, books the recommended time and sees it listed; an agent
 * finds it in the console's view of today at that branch, checks the holder in and marks the visit
 * served. The server's clock reads 10:00 in Shanghai on an ordinary workday, so today has bookable
 * times whatever the day the suite runs. Screenshots at 375 px and 1280 px go to
 * test-results/screenshots/booking-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayInfo } from "../../src/branches/domain/calendar.js";
import { CN_HOLIDAYS } from "../../src/branches/domain/holidays.js";
import { consoleSignIn, shootConsole } from "./console-support.js";
import { Portal, shoot, signIn, UI_TIMEOUT } from "./support/portal.js";

const ZHANG_WEI = "13812348000";
const BRANCH = "brn_bank_jingan";
const WEEKDAY_ZH = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/**
 * Milliseconds to move the server's clock to 10:00 in Shanghai on the next ordinary workday (not a
 * weekend, a public holiday, a make-up workday or a month-end): the branch is open all day and
 * its morning is quiet, so the recommendation for today is a real, bookable time.
 */
function clockOffsetForWorkdayMorning(now = Date.now()): { offset: number; date: string } {
  const hour = 3_600_000;
  const local = new Date(now + 8 * hour);
  let t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 10) - 8 * hour;
  for (;;) {
    const date = new Date(t + 8 * hour).toISOString().slice(0, 10);
    const day = dayInfo(date, CN_HOLIDAYS);
    if (t >= now && day.kind === "workday" && !day.monthEnd) return { offset: t - now, date };
    t += 24 * hour;
  }
}

const clock = clockOffsetForWorkdayMorning();
let portal: Portal;

beforeAll(async () => {
  portal = await Portal.start({ clockOffsetMs: clock.offset });
});

afterAll(async () => {
  await portal?.stop();
});

describe("counter appointments", () => {
  it("a holder books a recommended quiet time; the counter checks them in", async () => {
    const { context, page } = await portal.newPage(375);
    await signIn(portal, page, ZHANG_WEI);
    await page.getByRole("link", { name: "到店预约" }).click();
    await page.waitForURL(/\/appointments/);
    await page.getByRole("heading", { name: "预约到营业厅办理" }).waitFor();

    // The heat map: a week of hours, each with a level; the recommended times marked on it.
    const heat = page.getByTestId("heat-map");
    await heat.waitFor();
    expect(await heat.locator("td[data-level]").count()).toBeGreaterThan(30);
    expect(await heat.locator('td[data-level="closed"]').count()).toBeGreaterThan(0);
    await heat.locator("td[data-recommended]").first().waitFor();
    const recs = page.getByTestId("recommendations").locator("li[data-rank]");
    await expect.poll(() => recs.count(), { timeout: UI_TIMEOUT }).toBe(3);
    // Each with its predicted wait and the chance of waiting over a quarter of an hour.
    expect(await recs.first().getByTestId("rec-wait").textContent()).toMatch(/分钟/);
    expect(await recs.first().getByTestId("rec-p15").textContent()).toMatch(/%/);
    await shoot(page, "booking-01-advice");

    // Only today's weekday, within a week: the one recommendation left is today.
    const weekday = dayInfo(clock.date, CN_HOLIDAYS).isoWeekday;
    await page.getByLabel(WEEKDAY_ZH[weekday]!, { exact: true }).check();
    await page.locator("#zxb-horizon").click();
    await page.locator('.ant-select-dropdown [title="7 天内"]').click();
    await expect.poll(() => recs.count(), { timeout: UI_TIMEOUT }).toBe(1);
    const start = await recs.first().getAttribute("data-start");
    expect(start).not.toBeNull();
    // 10:30 or later in Shanghai, today (at least 30 minutes from the server's 10:00).
    expect(new Date(Date.parse(start!) + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(clock.date);

    await recs.first().getByRole("button", { name: "预约这个时段" }).click();
    await page.getByRole("dialog").getByTestId("confirm-slot").waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "确认预约" }).click();
    await page.getByTestId("booking-done").filter({ hasText: "已预约" }).waitFor();
    const mine = page.getByTestId("my-appointments").locator('li[data-status="booked"]');
    await mine.first().waitFor();
    expect(await mine.count()).toBe(1);
    const appointmentId = await mine.first().getAttribute("data-appointment-id");
    expect(appointmentId).toMatch(/^apt/);
    await shoot(page, "booking-02-booked");
    await context.close();

    // The counter: today's appointments at the branch, the holder masked; check in, then served.
    const staff = await portal.newPage(1280);
    await consoleSignIn(portal, staff.page, "agent");
    await staff.page.getByRole("menuitem", { name: "今日到店" }).click();
    await staff.page.waitForURL(/\/console\/today/);
    await staff.page.goto(`/console/today?branch=${BRANCH}`);
    const row = staff.page.locator(`tr[data-appointment-id="${appointmentId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("张*");
    expect(await row.textContent()).toMatch(/138\*{4}8000|138 \*{4} 8000/);
    await shootConsole(staff.page, "today");
    await row.locator('[data-action="check-in"]').click();
    await row.locator('[data-testid="appointment-status"][data-status="checked_in"]').waitFor();
    await row.locator('[data-testid="visit-status"][data-status="waiting"]').waitFor();
    await row.locator('[data-action="start"]').click();
    await row.locator('[data-testid="visit-status"][data-status="in_service"]').waitFor();
    await row.locator('[data-action="served"]').click();
    await row.locator('[data-testid="appointment-status"][data-status="served"]').waitFor();
    await shoot(staff.page, "booking-03-counter-today");
    await staff.context.close();

    // The holder sees the visit done.
    const again = await portal.newPage(375);
    await signIn(portal, again.page, ZHANG_WEI);
    await again.page.goto("/appointments");
    await again.page.locator(`li[data-appointment-id="${appointmentId}"][data-status="served"]`).waitFor();
    await again.context.close();
  });
});
