#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=40 --no-allocation-site-pretenuring
/**
 * The `zhuxiao` command: serve, migrate, demo data, staff accounts, applications, eligibility,
 * rules and audit — calling the same use cases as the API, without HTTP.
 */
import { Command } from "commander";
import { registerCardCommands } from "./card-commands.js";
import { registerCommands } from "./commands.js";
import { registerOpsCommands } from "./ops-commands.js";
import { registerProcessCommands } from "./process-commands.js";
import { registerReceiptCommands } from "./receipt-commands.js";

const program = new Command();
program
  .name("zhuxiao")
  .description("Cancel smart cards and SIM cards: eligibility, applications, proof.")
  .version("0.1.0");
registerCommands(program);
registerReceiptCommands(program);
registerOpsCommands(program);
registerProcessCommands(program);
registerCardCommands(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`zhuxiao: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
