/**
 * Starts pcscd for the PC/SC tests (or uses one already running), so that the real path — the
 * `smartcard` addon, libpcsclite, pcscd, the vsmartcard vpcd driver — is what the tests use.
 * Anything missing is an error naming what to install: these tests fail, they never skip.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const INSTALL =
  "apt-get install pcscd libpcsclite-dev vsmartcard-vpcd (then npm ci, which builds the smartcard addon)";
const PCSCD_CANDIDATES = ["/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd"];
const VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
const VPCD_CONF = "/etc/reader.conf.d/vpcd";
const PID_FILE = "/run/pcscd/pcscd.pid";

export interface PcscdHandle {
  /** False when a pcscd was already running and is left alone. */
  startedHere: boolean;
  /** Time from spawn until pcscd said it was ready (0 when reused). */
  startMs: number;
  /** The process started here (null when one already running is used). */
  pid: number | null;
  stop(): Promise<void>;
}

function runningPid(): number | null {
  if (!existsSync(PID_FILE)) return null;
  const pid = Number(readFileSync(PID_FILE, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Makes sure pcscd runs with the vpcd readers. Throws with installation advice when pcscd or
 * the vpcd driver is missing, and with pcscd's own output when it does not come up.
 */
export async function startPcscd(timeoutMs = 10_000): Promise<PcscdHandle> {
  const bin = PCSCD_CANDIDATES.find((p) => existsSync(p));
  if (!bin) throw new Error(`pcscd is not installed: ${INSTALL}`);
  if (!existsSync(VPCD_DRIVER) || !existsSync(VPCD_CONF)) {
    throw new Error(`the vsmartcard vpcd driver is not installed (${VPCD_DRIVER}, ${VPCD_CONF}): ${INSTALL}`);
  }
  if (runningPid() !== null) {
    // Someone else's pcscd (a system service): use it, leave it running.
    return { startedHere: false, startMs: 0, pid: null, stop: async () => {} };
  }
  // vpcd listens on fixed ports inside the ephemeral range, so another process's outgoing
  // connection can hold one for a moment: vpcd then says "Address already in use", pcscd drops
  // that reader and is ready anyway. Start again, a few times.
  for (let attempt = 1; ; attempt++) {
    const handle = await startOnce(bin, timeoutMs);
    if (!handle.readerFailed) return handle;
    await handle.stop();
    if (attempt >= 5) {
      throw new Error(
        `pcscd could not set up the vpcd readers in ${attempt} starts: ${handle.output.trim()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function startOnce(
  bin: string,
  timeoutMs: number,
): Promise<PcscdHandle & { readerFailed: boolean; output: string }> {
  const started = Date.now();
  // --info makes pcscd say "daemon ready" once its readers (and the vpcd ports) are set up.
  const child: ChildProcess = spawn(bin, ["--foreground", "--info"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  let exited: number | null = null;
  child.on("exit", (code) => {
    exited = code ?? -1;
  });
  while (!output.includes("daemon ready")) {
    if (exited !== null)
      throw new Error(`pcscd exited with ${exited} at start: ${output.trim() || "(no output)"}`);
    if (Date.now() - started > timeoutMs) {
      child.kill("SIGTERM");
      throw new Error(`pcscd was not ready within ${timeoutMs} ms: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const startMs = Date.now() - started;
  return {
    readerFailed: output.includes("Virtual PCD init failed"),
    output,
    startedHere: true,
    startMs,
    pid: child.pid ?? null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => {
          if (exited === null) child.kill("SIGKILL");
        }, 3000).unref();
      }),
  };
}
