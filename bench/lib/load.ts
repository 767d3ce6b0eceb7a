/**
 * A small HTTP load generator on node:http with a keep-alive agent: `connections` loops, each
 * sending its next request when the previous answer has been read, timed with hrtime. Closed-loop
 * (like autocannon's default), so throughput and latency are measured together.
 */
import { Agent, request } from "node:http";

export interface RequestSpec {
  method: "GET" | "POST" | "PATCH";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  body: string;
}

export interface LoadOptions {
  port: number;
  connections: number;
  /** Stop after this long (the requests in flight finish and count). */
  durationMs?: number;
  /** Stop after this many requests. */
  maxRequests?: number;
  /** The i-th request; null when there is nothing more to send. */
  next: (i: number) => RequestSpec | null;
  /** Whether an answer counts as a success (default 2xx). */
  ok?: (a: Answer) => boolean;
  /** Read the bodies and hand each answer here (bodies are otherwise discarded unread). */
  onAnswer?: (a: Answer, spec: RequestSpec) => void;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Answers by status code, to see what the errors were. */
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  /** Milliseconds, successful requests only. */
  latencyMs: Latency;
}

export function percentiles(samplesMs: number[]): Latency {
  if (samplesMs.length === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: 0, mean: 0 };
  const s = Float64Array.from(samplesMs).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const sum = s.reduce((a, b) => a + b, 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]!, mean: sum / s.length };
}

function send(agent: Agent, port: number, spec: RequestSpec, readBody: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = Buffer.byteLength(spec.body);
    }
    const req = request(
      { agent, host: "127.0.0.1", port, method: spec.method, path: spec.path, headers },
      (res) => {
        const status = res.statusCode ?? 0;
        if (!readBody) {
          res.on("end", () => resolve({ status, body: "" }));
          res.resume();
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => resolve({ status, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(spec.body);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const ok = o.ok ?? ((a: Answer) => a.status >= 200 && a.status < 300);
  const readBody = o.onAnswer !== undefined || o.ok !== undefined;
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = o.durationMs === undefined ? undefined : started + BigInt(o.durationMs) * 1_000_000n;

  async function loop(): Promise<void> {
    for (;;) {
      if (o.maxRequests !== undefined && issued >= o.maxRequests) return;
      if (deadline !== undefined && process.hrtime.bigint() >= deadline) return;
      const spec = o.next(issued);
      if (!spec) return;
      issued++;
      const t0 = process.hrtime.bigint();
      try {
        const a = await send(agent, o.port, spec, readBody);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        if (ok(a)) samples.push(ms);
        else errors++;
        o.onAnswer?.(a, spec);
      } catch {
        statuses.network = (statuses.network ?? 0) + 1;
        errors++;
      }
    }
  }

  await Promise.all(Array.from({ length: o.connections }, loop));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return {
    requests: issued,
    errors,
    statuses,
    seconds,
    rps: samples.length / seconds,
    latencyMs: percentiles(samples),
  };
}
