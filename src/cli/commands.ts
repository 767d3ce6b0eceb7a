/**
 * The CLI's commands. Each opens the runtime on the configured data directory, calls a use case
 * as the system actor (the operator at the console), prints, and closes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { createPiiVault } from "../adapters/pii-vault.js";
import { createDataKey, loadDataKeys, loadMasterSecret, setCurrentDataKey } from "../adapters/secret.js";
import { primeSimulators } from "../adapters/simulators/prime.js";
import { addStaff } from "../app/add-staff.js";
import { createApiKey } from "../app/api-keys.js";
import { SYSTEM_ACTOR } from "../app/context.js";
import { AppError, ERROR_CATALOGUE } from "../app/errors.js";
import { evaluateCard } from "../app/evaluate-card.js";
import { getApplication } from "../app/get-application.js";
import { eraseHolder, exportHolder } from "../app/holder-data.js";
import { listApplications } from "../app/list-applications.js";
import { resealAll } from "../app/rotate-data-key.js";
import { verifyAudit } from "../app/verify-audit.js";
import { loadConfig } from "../config.js";
import { findApplicationByNumber } from "../db/applications-repository.js";
import { upsertProvider } from "../db/providers-repository.js";
import { seedDemo } from "../demo/seed.js";
import { STAFF_ROLES } from "../domain/policy.js";
import { APPLICATION_STATUSES, type ApplicationStatus } from "../domain/states.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { serve } from "./serve.js";

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(loadConfig(), { startWorker: false });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

function print(value: unknown, json: boolean, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

function explain(err: unknown): never {
  if (err instanceof AppError) {
    const spec = ERROR_CATALOGUE[err.code];
    throw new Error(
      `${err.code}: ${spec.en} / ${spec.zh}${Object.keys(err.params).length ? ` ${JSON.stringify(err.params)}` : ""}`,
    );
  }
  throw err;
}

export async function loadDemo(rt: Runtime): Promise<string | null> {
  const r = await seedDemo(rt.deps);
  if (!r.seeded) return null;
  await primeSimulators(rt.deps.db, rt.simulators);
  const file = join(rt.deps.config.dataDir, "demo-staff.txt");
  const lines = r.staff.map((s) => `${s.username}\t${s.role}\t${s.password}`);
  writeFileSync(
    file,
    `# demo staff accounts (username, role, password); generated on first start\n${lines.join("\n")}\n`,
    { mode: 0o600 },
  );
  return `demo data loaded: ${r.providers} providers, ${r.holders} holders, ${r.cards} cards; staff passwords in ${file}`;
}

export function registerCommands(program: Command): void {
  program
    .command("serve")
    .description("start the HTTP API (and the job worker) on HOST:PORT")
    .option("--demo", "load the demo data set into an empty database first")
    .option("--no-worker", "do not run jobs in this process (run `zhuxiao worker` processes instead)")
    .action(async (o: { demo?: boolean; worker: boolean }) => {
      await serve(loadConfig(), { demo: o.demo ?? false, worker: o.worker });
    });

  program
    .command("migrate")
    .description("create or upgrade the database schema")
    .action(async () => {
      await withRuntime(async () => {
        process.stdout.write("database is at the latest migration\n");
      });
    });

  program
    .command("demo")
    .description("load the demo data set (no-op when already loaded)")
    .action(() =>
      withRuntime(async (rt) => {
        process.stdout.write(`${(await loadDemo(rt)) ?? "demo data already present; nothing changed"}\n`);
      }),
    );

  program
    .command("rules")
    .description("provider rules")
    .command("load <file>")
    .description("validate a provider's rules file and load it (creates or updates the provider)")
    .action((file: string) =>
      withRuntime(async (rt) => {
        const p = await upsertProvider(
          rt.deps.db,
          JSON.parse(readFileSync(file, "utf8")),
          rt.deps.ids.id("prv"),
          rt.deps.clock.now().toISOString(),
        );
        process.stdout.write(`loaded rules ${p.rulesVersion} for ${p.code} (${p.id})\n`);
      }),
    );

  program
    .command("apikey")
    .description("API keys for provider systems")
    .command("create")
    .description("create a key for a provider's systems; the key is shown once")
    .requiredOption("--provider <code>", "provider code, e.g. demo-mobile")
    .requiredOption("--name <name>", "what uses the key, e.g. crm-prod")
    .option("--scope <scope...>", "scopes", ["tmf"])
    .action((o: { provider: string; name: string; scope: string[] }) =>
      withRuntime(async (rt) => {
        const k = await createApiKey(rt.deps, {
          providerCode: o.provider,
          name: o.name,
          scopes: o.scope,
        }).catch(explain);
        process.stdout.write(`${k.key}\n(id ${k.id}; store it now: it is not shown again)\n`);
      }),
    );

  const holder = program.command("holder").description("data-subject requests");
  holder
    .command("export <phoneOrId>")
    .description("everything held about a holder, personal data decrypted, as JSON")
    .option("--out <file>", "write to a file (0600) instead of standard output")
    .action((ref: string, o: { out?: string }) =>
      withRuntime(async (rt) => {
        const data = await exportHolder(rt.deps, SYSTEM_ACTOR, { holder: ref }).catch(explain);
        const json = `${JSON.stringify(data, null, 2)}\n`;
        if (o.out) writeFileSync(o.out, json, { mode: 0o600 });
        else process.stdout.write(json);
      }),
    );
  holder
    .command("erase <phoneOrId>")
    .description("erase a holder's personal data; applications, money movements and the audit trail stay")
    .requiredOption("--confirm", "required: erasure cannot be undone")
    .action((ref: string) =>
      withRuntime(async (rt) => {
        const r = await eraseHolder(rt.deps, SYSTEM_ACTOR, { holder: ref }).catch(explain);
        process.stdout.write(
          `erased holder ${r.holderId}; ${r.documentsDeleted} document(s) deleted; ${r.messagesCancelled} unsent message(s) cancelled\n`,
        );
      }),
    );

  const staff = program.command("staff").description("staff accounts");
  staff
    .command("add")
    .description("add a staff account; the password is read from --password or STDIN")
    .requiredOption("--username <name>")
    .requiredOption("--role <role>", `one of ${STAFF_ROLES.join(", ")}`)
    .option("--display-name <name>")
    .option("--provider <id>", "restrict to one provider's applications")
    .option("--branch <name>")
    .option("--password <password>", "prefer STDIN: a flag shows in the process list")
    .action(
      (o: {
        username: string;
        role: string;
        displayName?: string;
        provider?: string;
        branch?: string;
        password?: string;
      }) =>
        withRuntime(async (rt) => {
          const password = o.password ?? readFileSync(0, "utf8").trim();
          const r = await addStaff(rt.deps, SYSTEM_ACTOR, {
            username: o.username,
            displayName: o.displayName ?? o.username,
            role: o.role as (typeof STAFF_ROLES)[number],
            password,
            providerId: o.provider ?? null,
            branch: o.branch ?? null,
          }).catch(explain);
          process.stdout.write(`added ${r.username} (${r.role}) ${r.id}\n`);
        }),
    );

  const application = program.command("application").description("applications");
  application
    .command("list")
    .description("the work queue")
    .option("--status <status...>", `filter: ${APPLICATION_STATUSES.join(", ")}`)
    .option("--limit <n>", "page size", "50")
    .option("--json", "print JSON")
    .action((o: { status?: string[]; limit: string; json?: boolean }) =>
      withRuntime(async (rt) => {
        const page = await listApplications(rt.deps, SYSTEM_ACTOR, {
          status: o.status as ApplicationStatus[] | undefined,
          limit: Number(o.limit),
          offset: 0,
          sort: "created_at",
          order: "desc",
        });
        print(page, o.json ?? false, () =>
          [
            `${page.total}${page.totalCapped ? "+" : ""} application(s)`,
            ...page.items.map(
              (a) =>
                `${a.number}  ${a.status.padEnd(12)}  ${a.cardKind.padEnd(15)}  ${a.cardLabel}  due ${a.dueAt ?? "-"}`,
            ),
          ].join("\n"),
        );
      }),
    );
  application
    .command("show <idOrNumber>")
    .description("one application with its timeline")
    .option("--json", "print JSON")
    .action((ref: string, o: { json?: boolean }) =>
      withRuntime(async (rt) => {
        const byNumber = await findApplicationByNumber(rt.deps.db, ref.toUpperCase());
        const v = await getApplication(rt.deps, SYSTEM_ACTOR, { applicationId: byNumber?.id ?? ref }).catch(
          explain,
        );
        print(v, o.json ?? false, () =>
          [
            `${v.application.number}  ${v.application.status}  ${v.card.label} (${v.card.kind})`,
            ...v.timeline.map(
              (e) =>
                `  #${e.seq} ${e.at}  ${e.action}  by ${e.actorType}${e.reason ? `  (${e.reason})` : ""}`,
            ),
          ].join("\n"),
        );
      }),
    );

  program
    .command("eligibility <cardId>")
    .description("every blocker for cancelling a card, with what clears it")
    .option("--lang <lang>", "zh-CN or en", "zh-CN")
    .option("--json", "print JSON")
    .action((cardId: string, o: { lang: string; json?: boolean }) =>
      withRuntime(async (rt) => {
        const { eligibility } = await evaluateCard(rt.deps, SYSTEM_ACTOR, { cardId }).catch(explain);
        const lang = o.lang === "en" ? "en" : "zh-CN";
        print(eligibility, o.json ?? false, () =>
          [
            `${cardId}: ${eligibility.eligible ? (eligibility.onlineAllowed ? "eligible, online" : "eligible, at a counter") : "not eligible"}`,
            ...eligibility.findings.map(
              (f) => `  [${f.severity}] ${f.code}: ${f.message[lang]}\n      → ${f.action[lang]}`,
            ),
          ].join("\n"),
        );
      }),
    );

  program
    .command("audit")
    .description("audit trail")
    .command("verify")
    .description("check the hash chain; exits 2 at the first altered, inserted or removed event")
    .action(() =>
      withRuntime(async (rt) => {
        const v = await verifyAudit(rt.deps, SYSTEM_ACTOR);
        if (v.ok) {
          process.stdout.write(`audit chain intact: ${v.events} events, head ${v.headHash}\n`);
        } else {
          process.stdout.write(
            `audit chain BROKEN at seq ${v.seq}${v.eventId ? ` (event ${v.eventId})` : ""}: ${v.problem}: ${v.detail}\n`,
          );
          process.exitCode = 2;
        }
      }),
    );
}

/** `zhuxiao keys rotate-data`: attached to the `keys` command group. */
export function registerRotateData(keys: Command): void {
  keys
    .command("rotate-data")
    .description(
      "re-seal personal data under a new data key (stop the API processes first, start them after)",
    )
    .action(() =>
      withRuntime(async (rt) => {
        const config = rt.deps.config;
        const { kid } = createDataKey(config);
        const vault = createPiiVault({
          master: loadMasterSecret(config),
          ...loadDataKeys(config),
          currentKid: kid,
        });
        const n = await resealAll(rt.deps.db, vault, rt.deps.ids, rt.deps.clock.now());
        // Only after every value is re-sealed does the new key become the one that seals.
        setCurrentDataKey(config, kid);
        process.stdout.write(
          `data key ${kid} is current; re-sealed ${n.holders} holders, ${n.cards} cards, ${n.staff} staff secrets, ${n.documents} documents\n`,
        );
      }),
    );
}
