/**
 * What a process costs, from /proc (Linux): CPU seconds and resident memory, sampled while a
 * load runs, so that the server's cost is seen apart from the load generator's.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux this runs on. */
const CLK_TCK = 100;

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function statusKb(pid: number, field: string): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) * 1024 : 0;
}

export function rssBytes(pid: number): number {
  return statusKb(pid, "VmRSS");
}

/** The process's own memory: RSS less the mapped files (the node binary and libraries), shared with other processes. */
export function privateBytes(pid: number): number {
  return statusKb(pid, "RssAnon");
}

export interface ProcessCost {
  /** RSS when the measurement started: what the process held before this load. */
  rssStartMB: number;
  cpuSeconds: number;
  /** Share of one core the process used over the measured time. */
  cpuUtilisation: number;
  rssPeakMB: number;
  rssEndMB: number;
  /** Peak of RssAnon: what each further process of the same program adds. */
  privatePeakMB: number;
}

/** Measures a process over `fn`, sampling RSS every 100 ms. */
export async function measureProcess<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ result: T; cost: ProcessCost }> {
  const cpu0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  const start = rssBytes(pid);
  let peak = start;
  let privatePeak = privateBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
    privatePeak = Math.max(privatePeak, privateBytes(pid));
  }, 100);
  try {
    const result = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const end = rssBytes(pid);
    const used = cpuSeconds(pid) - cpu0;
    return {
      result,
      cost: {
        rssStartMB: start / 1e6,
        cpuSeconds: used,
        cpuUtilisation: used / seconds,
        rssPeakMB: Math.max(peak, end) / 1e6,
        rssEndMB: end / 1e6,
        privatePeakMB: Math.max(privatePeak, privateBytes(pid)) / 1e6,
      },
    };
  } finally {
    clearInterval(timer);
  }
}
