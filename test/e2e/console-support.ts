/**
 * Helpers for the back-office console's browser tests, on top of the portal's harness: a holder
 * acting through the API (signed in with the SMS code from the outbox), and staff signing in to
 * the console through its form.
 */
import type { Page } from "playwright-core";
import { staffPassword } from "../support/server-process.js";
import type { Portal } from "./support/portal.js";

export interface HolderApi {
  call: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
}

/** A holder signed in by phone + SMS code, calling the API with their bearer token. */
export async function holderApi(portal: Portal, phone: string): Promise<HolderApi> {
  const before = portal.messages().length;
  const sent = await fetch(`${portal.base}/api/v1/auth/otp`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone }),
  });
  if (!sent.ok) throw new Error(`otp: ${sent.status} ${await sent.text()}`);
  const code = await portal.codeFor(phone, before);
  const r = await fetch(`${portal.base}/api/v1/auth/otp/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, code }),
  });
  if (!r.ok) throw new Error(`verify: ${r.status} ${await r.text()}`);
  const { token } = (await r.json()) as { token: string };
  let n = 0;
  return {
    call: async (method, path, body) => {
      n += 1;
      const res = await fetch(`${portal.base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": `e2e-holder-${process.pid}-${Date.now()}-${n}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
  };
}

/** Sign in to the console through its form and land on the work queue. */
export async function consoleSignIn(
  portal: Portal,
  page: Page,
  username: "agent" | "supervisor" | "admin",
): Promise<void> {
  await page.goto("/console");
  await page.waitForURL(/\/console\/sign-in/);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(staffPassword(portal.dataDir, username));
  await page.getByRole("button", { name: /^登\s*录$/ }).click();
  await page.waitForURL(/\/console\/?(\?.*)?$/);
  await page.getByTestId("staff-role").waitFor({ state: "attached" });
}

/** A full-page screenshot at 1280 px. */
export async function shootConsole(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `test-results/screenshots/console-${name}.png`, fullPage: true });
}
