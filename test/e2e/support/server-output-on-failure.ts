/**
 * Setup for the browser tests: when a test fails, the output of the servers it ran against
 * (warnings and errors: LOG_LEVEL=warn) is printed beside the failure, so a run whose only record
 * is its console says what the server saw.
 */
import { afterEach } from "vitest";
import { runningServersOutput } from "../../support/server-process.js";

afterEach((context) => {
  if (context.task.result?.state !== "fail") return;
  process.stderr.write(`\n${context.task.name} failed; ${runningServersOutput()}\n`);
});
