/**
 * The browser tests' world: the real server as a child process on 127.0.0.1 (demo data, a fresh
 * data directory, a 1-second SMS resend cooldown) serving the built portal, and Debian's Chromium
 * driven by playwright-core. SMS codes are read from the server's outbox file, as a holder would
 * read them on their phone. Everything started here is stopped by `stop()`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { freePort, type ServerProcess, staffPassword, startServer } from "../../support/server-process.js";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SCREENSHOTS = "test-results/screenshots";
export const PORTAL_INDEX = "web/dist/index.html";

/** How long any one thing the user waits for may take before the test fails. */
export const UI_TIMEOUT = 15_000;

/**
 * Milliseconds to move the server's clock so that it reads 10:00 in Shanghai on a day that is not
 * a month's last: every demo provider's online window is open then, whatever the hour the suite
 * runs at (outside the window, online filing is refused by design).
 */
export function clockOffsetForOpenWindow(now = Date.now()): number {
  const hour = 3_600_000;
  const local = new Date(now + 8 * hour);
  let t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 10) - 8 * hour;
  for (;;) {
    const day = new Date(t + 8 * hour);
    const next = new Date(t + 32 * hour);
    if (t >= now && next.getUTCMonth() === day.getUTCMonth()) return t - now;
    t += 24 * hour;
  }
}

export interface OutboxMessage {
  to: string;
  template: string;
  text: string;
}

export class Portal {
  private constructor(
    readonly base: string,
    readonly dataDir: string,
    private readonly server: ServerProcess,
    readonly browser: Browser,
  ) {}

  /**
   * `clockOffsetMs` moves the server's clock (default: to an open online window, see above); `env`
   * adds to the server's environment (e.g. simulator fault injection).
   */
  static async start(
    options: { clockOffsetMs?: number; env?: Record<string, string> } = {},
  ): Promise<Portal> {
    if (!existsSync(PORTAL_INDEX)) {
      throw new Error(
        `${PORTAL_INDEX} is missing: the browser tests run against the built portal. Run \`npm run build:web\` first.`,
      );
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium fonts-wqy-microhei)`,
      );
    }
    const dataDir = mkdtempSync(join(tmpdir(), "zhuxiao-e2e-"));
    const server = await startServer(
      dataDir,
      {
        ZHUXIAO_OTP_COOLDOWN_SECONDS: "1",
        // The server's clock starts there and runs on (a testing aid the server itself offers).
        ZHUXIAO_FAKE_NOW: new Date(
          Date.now() + (options.clockOffsetMs ?? clockOffsetForOpenWindow()),
        ).toISOString(),
        ...options.env,
      },
      await freePort(),
    );
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    } catch (err) {
      await server.kill();
      throw err;
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    return new Portal(server.base, dataDir, server, browser);
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A fresh browser profile (no cookies, no storage) with a page of the given width. */
  async newPage(width = 375, lang = "zh-CN"): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({
      baseURL: this.base,
      viewport: { width, height: width < 600 ? 812 : 900 },
      locale: lang,
      acceptDownloads: true,
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    page.on("pageerror", (e) => process.stderr.write(`[page error] ${e.message}\n`));
    return { context, page };
  }

  messages(): OutboxMessage[] {
    const file = join(this.dataDir, "outbox", "messages.jsonl");
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as OutboxMessage);
  }

  /** The code of the first SMS to `phone` with `template` after the first `after` messages. */
  async codeFor(phone: string, after: number, template = "otp_signin"): Promise<string> {
    const deadline = Date.now() + UI_TIMEOUT;
    for (;;) {
      const m = this.messages()
        .slice(after)
        .find((x) => x.to === phone && x.template === template);
      // Six digits standing alone: application numbers (ZX2611…) hold digit runs too.
      const code = m?.text.match(/(?<![0-9A-Za-z])(\d{6})(?![0-9A-Za-z])/)?.[1];
      if (code) return code;
      if (Date.now() > deadline)
        throw new Error(`no ${template} SMS to ${phone} in the outbox\n${this.server.output().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A staff member acting through the API (the back-office console is not part of the portal). */
  async staff(username: "agent" | "supervisor" = "agent") {
    const r = await fetch(`${this.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: staffPassword(this.dataDir, username) }),
    });
    if (!r.ok) throw new Error(`staff sign-in failed: ${await r.text()}`);
    const { token } = (await r.json()) as { token: string };
    let n = 0;
    const call = async (method: string, path: string, body?: unknown) => {
      n += 1;
      const res = await fetch(`${this.base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": `e2e-staff-${process.pid}-${Date.now()}-${n}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    return { call };
  }
}

/** Screenshots of the page as it is, at phone width and at desktop width, for review. */
export async function shoot(page: Page, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: width < 600 ? 812 : 900 });
    // Nothing still loading, and from the top, so the sticky header is drawn where it belongs.
    await page.waitForLoadState("networkidle");
    await page.evaluate("window.scrollTo(0, 0)");
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Sign in through the portal's form with the code from the outbox, and land on "My cards". */
export async function signIn(portal: Portal, page: Page, phone: string): Promise<void> {
  await page.goto("/");
  await page.waitForURL(/\/sign-in/);
  await page.locator("#otp-phone").fill(phone);
  const before = portal.messages().length;
  await page.getByRole("button", { name: /获取验证码|Send code/ }).click();
  const code = await portal.codeFor(phone, before);
  await page.locator("#otp-code").fill(code);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(/\/cards$/);
  await page.locator("[data-card-id]").first().waitFor();
}
