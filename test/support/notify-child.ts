/**
 * A zhuxiao process for the crash tests, started with `node --import tsx`. `submit` files and
 * submits an application at a counter (one transaction: receipt, SMS and e-mail jobs), says
 * "committed", and then either exits or, with CHILD_HANG=1, waits to be killed. `work` drains the
 * outbox and says "drained". CHILD_NOW fixes the clock; CHILD_CRASH_AFTER_SEND=1 makes the process
 * SIGKILL itself the moment the SMTP server has accepted an e-mail, before anything is recorded.
 */
import { SYSTEM_ACTOR } from "../../src/app/context.js";
import { createApplication } from "../../src/app/create-application.js";
import { loadConfig } from "../../src/config.js";
import { createSmtpMailer } from "../../src/notify/smtp-mailer.js";
import { openRuntime } from "../../src/runtime.js";

const mode = process.argv[2];
const config = loadConfig();
const now = new Date(process.env.CHILD_NOW ?? "2026-11-24T02:00:00Z");
const real = createSmtpMailer(config.smtpUrl ?? "smtp://127.0.0.1:1");
const mailer =
  process.env.CHILD_CRASH_AFTER_SEND === "1"
    ? {
        async send(m: Parameters<typeof real.send>[0]) {
          const r = await real.send(m);
          process.kill(process.pid, "SIGKILL");
          return r;
        },
        close: () => real.close(),
      }
    : real;
const rt = await openRuntime(config, { clock: { now: () => new Date(now) }, startWorker: false, mailer });

if (mode === "submit") {
  const r = await createApplication(rt.deps, SYSTEM_ACTOR, {
    cardId: process.env.CHILD_CARD ?? "card_demo_debit_clean",
    submit: true,
    backup: { status: "waived", note: "nothing to keep" },
  });
  process.stdout.write(`committed ${r.application.id}\n`);
  if (process.env.CHILD_HANG === "1") setInterval(() => {}, 60_000);
  else await rt.close();
} else if (mode === "work") {
  const n = await rt.worker.drain();
  process.stdout.write(`drained ${n}\n`);
  await rt.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
